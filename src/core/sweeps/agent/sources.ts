/**
 * The command sources an agent can be built with. `onlineSource` is the W&B server; the offline
 * source (a local sweep without a server) lives in ../offline/ and is wired by the command.
 */
import {AgentApi} from './agent-api.ts'
import {OnlineCommandSource, type OnlineSourceOptions} from './online-source.ts'
import type {SweepApiOptions} from '../sweep-api.ts'
import type {AgentCommandSource} from './types.ts'

/** The W&B server as the source, with its own AgentApi on `api` options (base URL, key, env). */
export function onlineSource(o: Omit<OnlineSourceOptions, 'api'> & {api: SweepApiOptions | AgentApi}): AgentCommandSource & OnlineCommandSource {
  const api = o.api instanceof AgentApi ? o.api : new AgentApi(o.api)
  return new OnlineCommandSource({...o, api})
}
