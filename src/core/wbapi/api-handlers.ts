/**
 * The dispatch table of api_request: one handler per request type of wandb 0.31. The mapped type
 * keeps it exhaustive, so a new case in the schema fails the typecheck until it has a handler.
 */
import type {ApiRequest, ApiResponse} from '../proto.ts'
import {handleAuth} from './auth-handler.ts'
import {handleReadRunConsoleLogs} from './console-logs-handler.ts'
import {handleFeatures} from './features-handler.ts'
import {handleDownloadFile, handleUploadFile} from './file-transfer-handler.ts'
import {handleGraphQL} from './graphql-handler.ts'
import {apiError} from './responses.ts'
import {handleRunQueueOperation} from './run-queue-handler.ts'
import {handleCreateCustomChart, handleMarkRunFilesUploaded, handleStopRun} from './run-handler.ts'
import {handleReadRunHistory} from './run-history-handler.ts'
import type {SessionTools} from './session-tools.ts'

type RequestCase = ApiRequest['request']
export type ApiRequestKind = Exclude<RequestCase['oneofKind'], undefined>
type PayloadOf<K extends ApiRequestKind> = Extract<RequestCase, {oneofKind: K}> extends {[P in K]: infer T} ? T : never
type ApiHandler<K extends ApiRequestKind> = (t: SessionTools, request: PayloadOf<K>, signal: AbortSignal) => Promise<ApiResponse>

const unsupported = (kind: string) => () => Promise.resolve(apiError(`unsupported API request type: ${kind}`))

const API_HANDLERS: {[K in ApiRequestKind]: ApiHandler<K>} = {
  auth_request: handleAuth,
  graphql_request: handleGraphQL,
  features_request: handleFeatures,
  upload_file_request: handleUploadFile,
  download_file_request: handleDownloadFile,
  stop_run_request: handleStopRun,
  mark_run_files_uploaded_request: handleMarkRunFilesUploaded,
  create_custom_chart_request: handleCreateCustomChart,
  run_queue_operation_request: handleRunQueueOperation,
  read_run_console_logs_request: handleReadRunConsoleLogs,
  read_run_history_request: handleReadRunHistory,
  // answered before dispatch (ApiSession.handle): nexus exports no telemetry
  open_telemetry_request: unsupported('open_telemetry_request'),
}

/** Runs the handler for the request's type; an empty request is answered with an error. */
export function dispatchApiRequest(t: SessionTools, r: RequestCase, signal: AbortSignal): Promise<ApiResponse> {
  if (r.oneofKind === undefined) return unsupported('none')()
  const handler = API_HANDLERS[r.oneofKind] as ApiHandler<ApiRequestKind>
  return handler(t, (r as Record<string, unknown>)[r.oneofKind] as PayloadOf<ApiRequestKind>, signal)
}
