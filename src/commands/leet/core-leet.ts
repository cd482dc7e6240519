/**
 * `wandb-core leet …` when nexus is installed as wandb-core (and `nexus leet <command>` other than
 * inspect): `leet inspect --summary [--json]` is printed by nexus, every other form is delegated
 * to the original core. Loaded by bin/run.ts without oclif.
 */
import {ExitCode} from '../../core/exit-codes.ts'
import {planLeet} from '../../core/leet/inspect-args.ts'
import {delegateLeet, findOriginalCore} from './delegate.ts'

/** Prints a summary, or Go's "Error: …" line (exit 1) when the run cannot be read. */
export async function printSummary(options: {runFile: string; wandbDir: string; json: boolean}): Promise<number> {
  // Loaded here so that a delegated call never loads the reader and the protobuf types.
  const [{renderSummary}, {LeetInspectError}] = await Promise.all([import('../../core/leet/print-summary.ts'), import('../../core/leet/errors.ts')])
  let text: string
  try {
    text = renderSummary(options)
  } catch (err) {
    if (!(err instanceof LeetInspectError)) throw err
    process.stderr.write(`Error: ${err.message}\n`)
    return ExitCode.INTERNAL
  }
  await Bun.write(Bun.stdout, text)
  return ExitCode.OK
}

export async function runCoreLeet(args: string[], execPath = process.execPath): Promise<number> {
  const plan = planLeet(args)
  if (plan.kind === 'summary') return printSummary(plan.options)
  // Without an original core, a usage error still gets Go's first line and exit code.
  if (plan.usageError && !findOriginalCore(execPath, process.env).found) {
    process.stderr.write(`Error: ${plan.usageError}\n`)
    return ExitCode.USAGE
  }
  return delegateLeet(args, execPath)
}
