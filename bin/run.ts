#!/usr/bin/env bun
/**
 * The nexus entry point, for `bun bin/run.ts` and for the compiled binary alike: a small router.
 *
 * The SDK starts a service for every Python process. When that process can share the user's
 * node service, it stays a stand-in (src/core/shared/stand-in.ts) and loads nothing else; so
 * this module imports only the argv router and the launch-line parser. Everything else (the
 * service engines, oclif and the commands) is the second entry point bin/full.ts, loaded on
 * demand: in the compiled binary it is the file `bin/full.js` beside the main module in $bunfs.
 */
import {dirname, join} from 'node:path'
import {routeArgv, versionLine} from '../src/commands/argv.ts'
import {parseServiceArgv} from '../src/commands/service/options.ts'
import {isNodeKey} from '../src/core/shared/paths.ts'

/** Where bin/full.ts is: beside this file from sources, `<$bunfs root>/bin/full.js` when compiled. */
function fullEntry(): string {
  const compiled = Bun.main.startsWith('/$bunfs/') || /^[A-Z]:[\\/]~BUN[\\/]/.test(Bun.main)
  return compiled ? join(dirname(Bun.main), 'bin', 'full.js') : new URL('./full.ts', import.meta.url).href
}

/** A well-formed launch line that may share the node service: the stand-in's exit code, or why not. */
async function tryStandIn(argv: string[]): Promise<number | string | undefined> {
  const flags = parseServiceArgv(argv)
  if (!flags || flags['shared-node'] !== '') return undefined
  const {runStandIn} = await import('../src/core/shared/stand-in.ts')
  const shared = await runStandIn({
    portFilename: flags['port-filename'],
    pid: flags.pid,
    logLevel: flags['log-level'],
    detached: flags.detached,
    listenOnLocalhost: flags['listen-on-localhost'],
    osPidShutdown: flags['os-pid-shutdown'],
  })
  return typeof shared === 'number' ? shared : shared.reason
}

/**
 * A well-formed node service launch (`service --shared-node KEY`, from a stand-in): runs the
 * node's light half here and loads bin/full.ts only for its engines, after the first port file.
 */
async function tryNode(argv: string[]): Promise<number | undefined> {
  const flags = parseServiceArgv(argv)
  if (!flags || !isNodeKey(flags['shared-node'])) return undefined
  const {runNodeService} = await import('../src/core/shared/run-node.ts')
  const observability = !flags['no-observability']
  return runNodeService({
    key: flags['shared-node'],
    logLevel: flags['log-level'],
    loadEngine: async (c) => ((await import(fullEntry())) as typeof import('./full.ts')).loadNodeEngine(c, observability),
  })
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
  if (routed.kind === 'leet') {
    const {runCoreLeet} = await import('../src/commands/leet/core-leet.ts')
    process.exitCode = await runCoreLeet(routed.argv)
    return
  }
  let notShared: string | undefined
  if (routed.argv[0] === 'service') {
    const node = await tryNode(routed.argv.slice(1))
    if (node !== undefined) process.exit(node)
    const shared = await tryStandIn(routed.argv.slice(1))
    if (typeof shared === 'number') process.exit(shared)
    notShared = shared
  }
  const full = (await import(fullEntry())) as typeof import('./full.ts')
  await full.runFull(routed.argv, notShared)
}

if (import.meta.main) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err))
    process.exitCode = 1
  })
}
