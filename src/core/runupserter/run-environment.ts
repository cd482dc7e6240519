import {EnvironmentRecord} from '../proto.ts'
import {protoMerge} from '../runstate/index.ts'

/**
 * The run's machine description, merged from every EnvironmentRecord (execution context, resource
 * probe). Serialised as protojson (json_names, 64-bit integers as strings, defaults omitted) for
 * files/wandb-metadata.json, and under the writer id for config _wandb.e.
 */
export class RunEnvironment {
  readonly writerId: string
  readonly #env = EnvironmentRecord.create()
  #empty = true

  constructor(writerId: string) {
    this.writerId = writerId
  }

  add(record: EnvironmentRecord): void {
    protoMerge(EnvironmentRecord, this.#env, record)
    this.#empty = false
  }

  /** wandb-metadata.json text (indent 2), or undefined before any record arrived. */
  toJson(): string | undefined {
    if (this.#empty) return undefined
    return JSON.stringify(EnvironmentRecord.toJson(this.#env), null, 2)
  }

  /** `{<writer id>: <environment>}` for config _wandb.e, or undefined when empty. */
  toRunConfigData(): Record<string, unknown> | undefined {
    if (this.#empty) return undefined
    const json = EnvironmentRecord.toJson(this.#env) as Record<string, unknown>
    return Object.keys(json).length === 0 ? undefined : {[this.writerId]: json}
  }
}
