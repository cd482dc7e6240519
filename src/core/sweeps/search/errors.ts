/**
 * The one error of the search engine: a sweep config or a run that the `sweeps` package (0.2.0)
 * would refuse. `key` names the config key at fault (`parameters.lr`, `early_terminate.s`,
 * `metric`…) when there is one; `problems` lists every violation found (checkSearchConfig
 * reports them all at once, the search itself stops at the first).
 */
import {UserFacingError} from '../../errors.ts'
import {ExitCode} from '../../exit-codes.ts'

export class SweepSearchError extends UserFacingError {
  override name = 'SweepSearchError'
  readonly key: string | undefined
  readonly problems: readonly string[]
  constructor(problems: string | readonly string[], o: {key?: string; cause?: unknown} = {}) {
    const list = typeof problems === 'string' ? [problems] : [...problems]
    const text = list.length === 1 ? list[0] : `The sweep config has ${list.length} problems:\n${list.map((p, i) => `  ${i + 1}. ${p}`).join('\n')}`
    super(`sweeps: search: ${list.join('; ')}`, text, {cause: o.cause, exitCode: ExitCode.USAGE})
    this.key = o.key
    this.problems = list
  }
}
