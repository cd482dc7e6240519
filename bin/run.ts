#!/usr/bin/env bun
/**
 * The nexus entry point, for `bun bin/run.ts` and for the compiled binary alike.
 *
 * oclif normally discovers commands by globbing a folder, which cannot work inside a
 * `bun build --compile` binary (no package.json, no folder in $bunfs). So the package.json object is
 * passed inline and oclif's `explicit` strategy points at *this* module's COMMANDS export: oclif
 * require()s this file, gets the already-loaded module back, and reads the command table that
 * main() filled in just before. There must be NO top-level await in this file (a require() of an
 * async module fails in the binary and deadlocks under `bun run`).
 *
 * oclif and the command table are imported only when needed: the SDK starts a service for every
 * Python process, and a well-formed launch line (routeArgv → `service ...` that
 * parseServiceArgv accepts) starts it directly, without evaluating oclif and the other commands.
 * Everything else, including every malformed service line, goes through oclif.
 */
import pjson from '../package.json' with {type: 'json'}
import {routeArgv, versionLine} from '../src/commands/argv.ts'
import {ServiceFlagError, parseServiceArgv} from '../src/commands/service/options.ts'

/** oclif's command table; filled from src/commands/index.ts before oclif runs. */
export const COMMANDS: Record<string, unknown> = {}

/** Starts the service without oclif; false if the flag values need oclif's error report. */
async function launchService(argv: string[]): Promise<boolean> {
  const flags = parseServiceArgv(argv)
  if (!flags) return false
  const [{startService}, {failureOf}] = await Promise.all([import('../src/commands/service/start.ts'), import('../src/commands/failure.ts')])
  try {
    process.exit(await startService(flags))
  } catch (err) {
    if (err instanceof ServiceFlagError) return false
    // The same report and exit code as the oclif command gives (NexusCommand).
    const {Errors} = await import('@oclif/core')
    const failure = failureOf(err)
    await Errors.handle(new Errors.CLIError(failure.message, {exit: failure.exit}))
  }
  return true
}

async function runOclif(argv: string[]): Promise<void> {
  const [{execute, settings}, commands] = await Promise.all([import('@oclif/core'), import('../src/commands/index.ts')])
  Object.assign(COMMANDS, commands.COMMANDS)
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
  await execute({args: argv, loadOptions: {root: import.meta.dir, pjson: manifest, userPlugins: false, devPlugins: false}})
}

async function main(): Promise<void> {
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
  if (routed.argv[0] === 'service' && (await launchService(routed.argv.slice(1)))) return
  await runOclif(routed.argv)
}

if (import.meta.main) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err))
    process.exitCode = 1
  })
}
