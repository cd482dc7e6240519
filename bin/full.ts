/**
 * Everything of nexus beyond the launch router: the service engines and the oclif CLI. A second
 * `bun build --compile` entry point, loaded by bin/run.ts only when needed, so that a stand-in
 * (the process the SDK launches when it shares the node service) never loads or maps this code:
 * a compiled binary's resident memory grows with the size of the entry module it starts, about
 * 13 MiB for this one, evaluated or not (measured: 17 MiB for a tiny entry, 31 MiB for the same
 * entry bundled with the CLI's modules behind dynamic imports).
 *
 * oclif normally discovers commands by globbing a folder, which cannot work inside a compiled
 * binary (no package.json, no folder in $bunfs). So the package.json object is passed inline and
 * oclif's `explicit` strategy points at *this* module's COMMANDS export: oclif require()s this
 * file, gets the already-loaded module back, and reads the command table filled in just before.
 * There must be NO top-level await in this file (a require() of an async module fails in the
 * binary and deadlocks under `bun run`).
 */
import pjson from '../package.json' with {type: 'json'}
import {ServiceFlagError, parseServiceArgv} from '../src/commands/service/options.ts'
import type {EngineContext} from '../src/core/shared/run-node.ts'
import type {SessionEngine} from '../src/core/shared/session.ts'

/** oclif's command table; filled from src/commands/index.ts before oclif runs. */
export const COMMANDS: Record<string, unknown> = {}

/**
 * Starts the service without oclif; false if the flag values need oclif's error report.
 * `notShared` says why the node service is not used (logged by the private service).
 */
export async function launchService(argv: string[], notShared?: string): Promise<boolean> {
  const flags = parseServiceArgv(argv)
  if (!flags) return false
  const [{startService}, {failureOf}] = await Promise.all([import('../src/commands/service/start.ts'), import('../src/commands/failure.ts')])
  try {
    process.exit(await startService(flags, notShared))
  } catch (err) {
    if (err instanceof ServiceFlagError) return false
    // The same report and exit code as the oclif command gives (NexusCommand).
    const {Errors} = await import('@oclif/core')
    const failure = failureOf(err)
    await Errors.handle(new Errors.CLIError(failure.message, {exit: failure.exit}))
  }
  return true
}

/** The node service's engines, for bin/run.ts's node path (which loads this module only then). */
export async function loadNodeEngine(c: EngineContext, observability: boolean): Promise<SessionEngine> {
  const {nodeEngine} = await import('../src/commands/service/start.ts')
  return nodeEngine(c, observability)
}

export async function runOclif(argv: string[]): Promise<void> {
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

/** Runs a routed command line: a well-formed service launch directly, anything else through oclif. */
export async function runFull(argv: string[], notShared?: string): Promise<void> {
  if (argv[0] === 'service' && (await launchService(argv.slice(1), notShared))) return
  await runOclif(argv)
}
