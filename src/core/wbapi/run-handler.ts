import type {ApiResponse, CreateCustomChartRequest, MarkRunFilesUploadedRequest, StopRunRequest} from '../proto.ts'
import {CREATE_CUSTOM_CHART, MARK_RUN_FILES_UPLOADED, STOP_RUN} from './graphql-documents.ts'
import {answer, apiError, failureResponse} from './responses.ts'
import type {SessionTools} from './session-tools.ts'

/**
 * stop_run_request: flags the run (by storage id) to stop, like the UI's "Stop run" button; the
 * process running it notices on its next heartbeat.
 */
export async function handleStopRun(t: SessionTools, req: StopRunRequest, signal: AbortSignal): Promise<ApiResponse> {
  const outcome = await t.gql.execute({query: STOP_RUN, operationName: 'StopRun', variables: {id: req.storage_id}}, signal)
  if (!outcome.ok) return failureResponse(outcome.failure)
  return answer('stop_run_response', {})
}

/**
 * mark_run_files_uploaded_request: tells the server that files uploaded straight to their signed
 * URLs are complete, without the run-state side effects of the file_stream path. No files, no
 * request. (The SDK only sends it when the server has the MARK_RUN_FILES_UPLOADED feature.)
 */
export async function handleMarkRunFilesUploaded(t: SessionTools, req: MarkRunFilesUploadedRequest, signal: AbortSignal): Promise<ApiResponse> {
  if (req.files.length > 0) {
    const variables = {entity: req.entity, project: req.project, run: req.run_id, files: req.files}
    const outcome = await t.gql.execute({query: MARK_RUN_FILES_UPLOADED, operationName: 'MarkRunFilesUploaded', variables}, signal)
    if (!outcome.ok) return failureResponse(outcome.failure)
  }
  return answer('mark_run_files_uploaded_response', {})
}

interface CreateCustomChartData {
  createCustomChart?: {chart?: {id?: string | null} | null} | null
}

/** create_custom_chart_request: creates a custom chart preset; answers its id. */
export async function handleCreateCustomChart(t: SessionTools, req: CreateCustomChartRequest, signal: AbortSignal): Promise<ApiResponse> {
  const variables = {
    entity: req.entity,
    chartName: req.name,
    displayName: req.display_name,
    chartType: req.spec_type,
    access: req.access,
    spec: req.spec,
  }
  const outcome = await t.gql.execute<CreateCustomChartData>({query: CREATE_CUSTOM_CHART, operationName: 'CreateCustomChart', variables}, signal)
  if (!outcome.ok) return failureResponse(outcome.failure)
  const payload = outcome.data?.createCustomChart
  if (!payload) return apiError('failed to create custom chart')
  return answer('create_custom_chart_response', {chart_id: payload.chart?.id ?? ''})
}
