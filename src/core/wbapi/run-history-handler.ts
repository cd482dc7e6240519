import {mkdir} from 'node:fs/promises'
import {errorMessage} from '../errors.ts'
import {ErrorType, type ApiResponse, type DownloadRunHistoryInit, type ReadRunHistoryRequest, type ReadRunHistoryResponse, type ScanRunHistory} from '../proto.ts'
import {RUN_PARQUET_HISTORY} from './graphql-documents.ts'
import {answer, apiError, failureResponse} from './responses.ts'
import type {SessionTools} from './session-tools.ts'

interface ParquetHistoryData {
  project?: {run?: {parquetHistory?: {parquetUrls?: string[] | null; liveData?: unknown[] | null} | null} | null} | null
}

const respond = (response: ReadRunHistoryResponse['response']) => answer('read_run_history_response', {response})

/**
 * read_run_history_request: scans of a run's history (Run.scan_history, read page by page over
 * GraphQL; see HistoryScans) and downloads of its exported parquet files
 * (Run.download_history_exports: init, download, status).
 */
export async function handleReadRunHistory(t: SessionTools, req: ReadRunHistoryRequest, signal: AbortSignal): Promise<ApiResponse> {
  const r = req.request
  switch (r.oneofKind) {
    case 'scan_run_history_init': {
      const {entity, project, run_id: runId, keys} = r.scan_run_history_init
      const requestId = t.historyScans.add({entity, project, runId, keys})
      return respond({oneofKind: 'scan_run_history_init', scan_run_history_init: {request_id: requestId}})
    }
    case 'scan_run_history':
      return scanPage(t, r.scan_run_history, signal)
    case 'scan_run_history_cleanup':
      t.historyScans.remove(r.scan_run_history_cleanup.request_id)
      return respond({oneofKind: 'scan_run_history_cleanup', scan_run_history_cleanup: {}})
    case 'download_run_history_init':
      return initDownload(t, r.download_run_history_init, signal)
    case 'download_run_history': {
      const result = await t.historyDownloads.run(t, r.download_run_history.request_id, signal)
      if (!result) return apiError('Download operation not found.')
      return respond({
        oneofKind: 'download_run_history',
        download_run_history: {downloaded_files: result.downloadedFiles, errors: result.errors},
      })
    }
    case 'download_run_history_status': {
      const stats = t.historyDownloads.status(r.download_run_history_status.request_id)
      if (!stats) return apiError('Download operation not found.')
      return respond({oneofKind: 'download_run_history_status', download_run_history_status: {operation_stats: stats}})
    }
    default:
      return apiError('unsupported read run history request')
  }
}

async function scanPage(t: SessionTools, req: ScanRunHistory, signal: AbortSignal): Promise<ApiResponse> {
  const rows = await t.historyScans.page(t, req.request_id, req.min_step, req.max_step, signal)
  if (rows === undefined) return apiError('Run history scan not initialized.')
  if (!Array.isArray(rows)) return failureResponse(rows)
  return respond({oneofKind: 'run_history', run_history: {history_rows: rows}})
}

/** Looks up the run's parquet URLs and registers the download; refuses when live rows must be complete. */
async function initDownload(t: SessionTools, req: DownloadRunHistoryInit, signal: AbortSignal): Promise<ApiResponse> {
  const variables = {entity: req.entity, project: req.project, runName: req.run_id, liveKeys: ['_step']}
  const outcome = await t.gql.execute<ParquetHistoryData>({query: RUN_PARQUET_HISTORY, operationName: 'RunParquetHistory', variables}, signal)
  if (!outcome.ok) return failureResponse(outcome.failure)
  const run = outcome.data?.project?.run
  if (!run) return apiError(`no parquet history found for run ${req.run_id}`)
  const live = liveSteps(run.parquetHistory?.liveData)
  if (typeof live === 'string') return apiError(live)
  const containsLiveData = live > 0
  if (req.require_complete_history && containsLiveData) {
    return apiError('Run contains data that has not been exported to parquet files yet.', 0, ErrorType.INCOMPLETE_RUN_HISTORY_ERROR)
  }
  try {
    await mkdir(req.download_dir, {recursive: true, mode: 0o755})
  } catch (err) {
    return apiError(errorMessage(err))
  }
  const requestId = t.historyDownloads.add({
    entity: req.entity,
    project: req.project,
    runId: req.run_id,
    dir: req.download_dir,
    urls: run.parquetHistory?.parquetUrls ?? [],
  })
  return respond({oneofKind: 'download_run_history_init', download_run_history_init: {request_id: requestId, contains_live_data: containsLiveData}})
}

/** How many live (not yet exported) rows there are, or what is wrong with them: each must be an object with a numeric _step. */
function liveSteps(liveData: unknown[] | null | undefined): number | string {
  for (const row of liveData ?? []) {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) return 'expected LiveData to be an object'
    const step = (row as Record<string, unknown>)._step
    if (step === undefined) return 'expected LiveData to contain step key'
    if (typeof step !== 'number') return 'expected step to be a number'
  }
  return liveData?.length ?? 0
}
