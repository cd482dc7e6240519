/**
 * The W&B server as an agent's command source, as `wandb agent` 0.31 talks to it: SweepWithRuns
 * (an unknown sweep is SweepNotFoundError "Sweep E/P/ID not found"), CreateAgent with the host
 * name, then Heartbeat with the run states, whose `commands` JSON becomes AgentCommands. A
 * heartbeat that fails is logged ("Error communicating with W&B.") and yields no commands; one
 * answered 404 is SweepGoneError.
 */
import {HttpError, errorMessage, findInChain} from '../../errors.ts'
import {ExitCode} from '../../exit-codes.ts'
import {SweepConfigError, SweepNotFoundError, sweepServerError} from '../errors.ts'
import {isDict, type PyDict, type PyValue} from '../py-value.ts'
import {loadPyYaml} from '../yaml-load.ts'
import type {SettingsDefaults} from '../sweep-target.ts'
import type {AgentApi} from './agent-api.ts'
import {SweepGoneError} from './errors.ts'
import {parseCommands} from './command-parse.ts'
import {dumpPyJson} from './py-json.ts'
import type {AgentCommand, AgentCommandSource, AgentOutput, AgentSweep} from './types.ts'

/** Options of OnlineCommandSource. */
export interface OnlineSourceOptions {
  api: AgentApi
  /** The sweep's id, and the entity / project given (path or flags); the settings defaults fill the rest. */
  sweep: string
  entity?: string
  project?: string
  defaults: SettingsDefaults
  /** The host name the agent registers with. */
  host: string
  /** Normalised base URL, for messages. */
  baseUrl: string
  out: AgentOutput
}

/** The W&B server's sweep controller. */
export class OnlineCommandSource implements AgentCommandSource {
  readonly #o: OnlineSourceOptions
  #agentId: string | undefined

  constructor(o: OnlineSourceOptions) {
    this.#o = o
  }

  /** The agent's id on the server, once started. */
  get agentId(): string | undefined {
    return this.#agentId
  }

  async start(): Promise<AgentSweep> {
    const o = this.#o
    const entity = o.entity || o.defaults.entity || null
    const project = o.project || o.defaults.project || null
    let data
    try {
      data = await o.api.sweep(entity, project, o.sweep)
    } catch (err) {
      throw sweepServerError('read the sweep', o.baseUrl, err, ExitCode.INTERNAL)
    }
    if (!data) throw new SweepNotFoundError(`${entity ?? 'None'}/${project ?? 'None'}/${o.sweep}`)
    const config = data.config.trim() === '' ? new Map() : tryConfig(data.config)
    try {
      this.#agentId = await o.api.createAgent(o.host, entity, project, o.sweep)
    } catch (err) {
      throw sweepServerError('register the agent', o.baseUrl, err, ExitCode.INTERNAL)
    }
    return {id: o.sweep, entity: o.entity ?? '', project: o.project ?? '', config: Object.fromEntries(config)}
  }

  async heartbeat(runState: Record<string, unknown>): Promise<AgentCommand[]> {
    if (!this.#agentId) throw new Error('sweeps: agent: heartbeat before start')
    const state: PyDict = new Map(Object.entries(runState).map(([k, v]) => [k, v === true]))
    let text: string
    try {
      text = await this.#o.api.heartbeat(this.#agentId, '{}', dumpPyJson(state))
    } catch (err) {
      if (findInChain(err, HttpError)?.status === 404) throw new SweepGoneError(err)
      this.#o.out.log('ERROR', `Error communicating with W&B.\n${errorMessage(err)}`)
      return []
    }
    return parseCommands(text, this.#o.out)
  }

  trialEnv(): Record<string, string> {
    return {}
  }

  async trialEnded(): Promise<void> {}

  async close(): Promise<void> {}
}

/** The sweep's config YAML as wandb's agent reads it (safe_load; a document that is not a mapping counts as none). */
function tryConfig(text: string): PyDict {
  let v: PyValue
  try {
    v = loadPyYaml(text)
  } catch (err) {
    throw new SweepConfigError(`The sweep's config on the server is not valid YAML: ${errorMessage(err)}`, {cause: err})
  }
  return isDict(v) ? v : new Map()
}
