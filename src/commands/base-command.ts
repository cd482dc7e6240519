import {Command} from '@oclif/core'
import {failureOf} from './failure.ts'

/**
 * Base for every nexus command: prints our errors as one unwrapped `Error: …` line and exits with
 * their code, so commands stay thin (parse flags, call one engine function) and never call
 * process.exit.
 */
export abstract class NexusCommand extends Command {
  protected override async catch(err: Error & {exitCode?: number}): Promise<any> {
    // oclif's own errors (parse errors, this.error) carry their exit code already.
    if ((err as any).oclif) return super.catch(err)
    const failure = failureOf(err)
    // one plain line, not oclif's error box: oclif wraps at 80 columns even into a pipe or a log file
    process.stderr.write(`Error: ${failure.message}\n`)
    this.exit(failure.exit)
  }
}
