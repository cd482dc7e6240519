import {Command} from '@oclif/core'
import {failureOf} from './failure.ts'

/**
 * Base for every nexus command: maps our errors to oclif errors with the right exit code, so
 * commands stay thin (parse flags, call one engine function) and never call process.exit.
 */
export abstract class NexusCommand extends Command {
  protected override async catch(err: Error & {exitCode?: number}): Promise<any> {
    // oclif's own errors (parse errors, this.error) carry their exit code already.
    if ((err as any).oclif) return super.catch(err)
    const failure = failureOf(err)
    this.error(failure.message, {exit: failure.exit})
  }
}
