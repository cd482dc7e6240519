#!/usr/bin/env bun
/**
 * The nexus entry point, for `bun bin/run.ts` and for the compiled binary alike.
 *
 * oclif normally discovers commands by globbing a folder, which cannot work inside a
 * `bun build --compile` binary (no package.json, no folder in $bunfs). So the package.json object is
 * passed inline and oclif's `explicit` strategy points at *this* module's COMMANDS export: oclif
 * require()s this file, gets the already-loaded module back, and the command classes are the same
 * objects. There must be NO top-level await in this file (a require() of an async module fails
 * in the binary and deadlocks under `bun run`).
 */
import {execute, settings} from '@oclif/core'
import pjson from '../package.json' with {type: 'json'}
import {COMMANDS} from '../src/commands/index.ts'
import {routeArgv, versionLine} from '../src/commands/argv.ts'

export {COMMANDS}

settings.enableAutoTranspile = false
const manifest = pjson as any
manifest.oclif = {
  ...pjson.oclif,
  commands: {strategy: 'explicit', target: import.meta.path, identifier: 'COMMANDS'},
  topics: {
    artifact: {description: 'Upload and download artifacts.'},
    service: {description: 'The wandb-core compatible service and its installation.'},
  },
}

function main(): void {
  const routed = routeArgv(process.argv.slice(2), process.execPath)
  if (routed.kind === 'version') {
    console.log(versionLine())
    return
  }
  if (routed.kind === 'error') {
    console.error(routed.message)
    process.exitCode = 2
    return
  }
  void execute({
    args: routed.argv,
    loadOptions: {root: import.meta.dir, pjson: manifest, userPlugins: false, devPlugins: false},
  }).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err))
    process.exitCode = 1
  })
}

if (import.meta.main) main()
