/**
 * Starts one scheduler from an init request (Go's NewTaskResolver with newSweepAPIFromSettings):
 * the backend and credentials the client's settings name (base_url, api_key or identity token,
 * x_extra_http_headers, the x_graphql_* retry overrides), then the feature check, the sweep's
 * facts and its loop settings. Every failure rejects with the error the client is shown.
 */
import {GRAPHQL_POLICY, HttpClient, Transport, withOverrides} from '../../api/index.ts'
import {errorMessage} from '../../errors.ts'
import type {Logger} from '../../observability/index.ts'
import {Settings} from '../../proto.ts'
import {systemClock, type Clock} from '../../runtime/index.ts'
import {RunSettings} from '../../settings/index.ts'
import {credentialsFor} from '../../wbapi/credentials.ts'
import {GraphQLTransport} from '../../wbapi/graphql-transport.ts'
import {mergeHeaders} from '../../wbapi/headers.ts'
import {ServerFeatures} from '../../wbapi/server-features.ts'
import {SchedulerInitError, UnsupportedServerError} from './errors.ts'
import type {InitRequest, InitResponse} from './protocol.ts'
import {SchedulerApi, type SchedulerBackend} from './scheduler-api.ts'
import {Scheduler} from './scheduler.ts'
import type {TaskResolver} from './session-state-machine.ts'
import {parseLoopSettings} from './sweep-settings.ts'

export interface OpenSchedulerOptions {
  /** For tests: replaces globalThis.fetch. */
  fetch?: typeof fetch
  clock?: Clock
  /** For tests: the backend to use instead of one built from the settings. */
  backend?: SchedulerBackend
}

/** The backend client for the sweep the request names, from the request's settings. */
export function backendFor(request: InitRequest, logger: Logger, o: OpenSchedulerOptions = {}): SchedulerBackend {
  if (!request.settings) throw new SchedulerInitError('scheduler: the init request carries no settings')
  const settings = new RunSettings(request.settings ?? Settings.create())
  const baseUrl = settings.baseUrl
  try {
    new URL(baseUrl)
  } catch (err) {
    throw new SchedulerInitError(`scheduler: parsing base URL: ${errorMessage(err)}`, {cause: err})
  }
  const extraHeaders = mergeHeaders(settings.extraHttpHeaders)
  // the api_init settings' proxies and TLS, not only the service's environment
  const transport = Transport.fromSettings(settings)
  let credentials
  try {
    credentials = credentialsFor(settings, {headers: extraHeaders, logger, transport, fetch: o.fetch})
  } catch (err) {
    throw new SchedulerInitError(`scheduler: reading credentials: ${errorMessage(err)}`, {cause: err})
  }
  const http = new HttpClient({baseUrl, authorization: () => credentials.authorization(), logger, transport, fetch: o.fetch})
  const policy = withOverrides(GRAPHQL_POLICY, settings.graphqlOverrides)
  const headers = mergeHeaders({'x-wandb-username': settings.username, 'x-wandb-user-email': settings.email}, extraHeaders, {'content-type': 'application/json'})
  const features = new ServerFeatures(new GraphQLTransport({http, policy, headers}), logger)
  return new SchedulerApi({http, policy, headers, features, entity: request.entity, project: request.project, sweepId: request.sweep_id})
}

/** Checks the server and the sweep, then builds the scheduler and the init response (no session id yet). */
export async function openScheduler(request: InitRequest, signal: AbortSignal, logger: Logger, o: OpenSchedulerOptions = {}): Promise<{resolver: TaskResolver; response: InitResponse}> {
  const backend = o.backend ?? backendFor(request, logger, o)
  if (!(await backend.localSchedulerSupported(signal))) throw new UnsupportedServerError()
  const facts = await backend.fetchSweep(signal)
  const loop = parseLoopSettings(facts.config)
  const resolver = new Scheduler({
    backend,
    logger,
    clock: o.clock ?? systemClock,
    sweepNodeId: facts.nodeId,
    metricKeys: loop.metricKeys,
    batchSize: request.batch_size,
    runCap: loop.runCap,
    pollIntervalMs: request.poll_interval_seconds * 1000,
  })
  return {resolver, response: {session_id: '', sweep_config: facts.config, display_name: facts.displayName, controller_run_name: facts.controllerRunName}}
}
