/** Shared set-up for wbapi tests: settings, a recording logger, and a session against a fake. */
import {JsonLogger, LogLevel, type Logger} from '../../../src/core/observability/index.ts'
import {ApiRequest, Settings, type ApiResponse} from '../../../src/core/proto.ts'
import {WbApiSessions} from '../../../src/core/wbapi/index.ts'
import type {FakeWandbApi} from './fake-wandb-api.ts'

/** A valid-looking API key that is easy to spot in logs. */
export const API_KEY = 'nexuswbapitestsecret' + 'x'.repeat(24)
/** What the key looks like inside an Authorization header. */
export const BASIC_AUTH = `Basic ${Buffer.from(`api:${API_KEY}`).toString('base64')}`

/** Settings for a session against `baseUrl` with the test key; `extra` fields override. */
export function settingsFor(baseUrl: string, extra: Partial<Settings> = {}): Settings {
  return Settings.create({api_key: {value: API_KEY}, base_url: {value: baseUrl}, ...extra})
}

/** A logger that keeps every line (debug included) in `lines`. */
export function recordingLogger(): {logger: Logger; lines: string[]} {
  const lines: string[] = []
  return {logger: new JsonLogger((line) => lines.push(line), LogLevel.DEBUG), lines}
}

/** An ApiRequest for session `apiId`. */
export function apiRequest(apiId: string, request: ApiRequest['request']): ApiRequest {
  return ApiRequest.create({api_id: apiId, request})
}

/** The api_error_response of `res`, or undefined when it is something else. */
export function errorOf(res: ApiResponse | undefined) {
  return res?.response.oneofKind === 'api_error_response' ? res.response.api_error_response : undefined
}

/** A signal that never aborts. */
export const NEVER = new AbortController().signal

export interface OpenSession {
  sessions: WbApiSessions
  apiId: string
  lines: string[]
  /** Sends one request to the session. */
  call(request: ApiRequest['request'], signal?: AbortSignal): Promise<ApiResponse | undefined>
}

/** A WbApiSessions with one session open against `fake` (telemetry probe off unless asked). */
export function openSession(fake: FakeWandbApi, extra: Partial<Settings> = {}, o: {observability?: boolean} = {}): OpenSession {
  const {logger, lines} = recordingLogger()
  const sessions = new WbApiSessions({logger, observability: o.observability ?? false})
  const init = sessions.init({settings: settingsFor(fake.url, extra), service_name: 'test'})
  if (init.error_message) throw new Error(init.error_message)
  return {
    sessions,
    apiId: init.api_id,
    lines,
    call: (request, signal = NEVER) => sessions.handle(apiRequest(init.api_id, request), signal),
  }
}
