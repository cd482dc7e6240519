import type {ApiResponse, ReadRunConsoleLogsRequest, ReadRunConsoleLogsResponse, RunConsoleLogLine} from '../proto.ts'
import {RUN_CONSOLE_LOG_PAGE, RUN_CONSOLE_LOG_TAIL} from './graphql-documents.ts'
import {answer, apiError, failureResponse} from './responses.ts'
import type {SessionTools} from './session-tools.ts'

interface LogLineNode {
  number?: number | null
  timestamp?: string | null
  level?: string | null
  label?: string | null
  line?: string | null
}

interface ConsoleLogData {
  project?: {
    run?: {
      logLineCount?: number | null
      logLines?: {
        edges?: Array<{node?: LogLineNode | null} | null> | null
        pageInfo?: {endCursor?: string | null; hasNextPage?: boolean | null} | null
      } | null
    } | null
  } | null
}

/**
 * read_run_console_logs_request: a tail (`last`: the last N lines, any server) or a forward page
 * (`first`/`after`: needs server 0.77+, whose useImprovedPagination older servers reject).
 */
export async function handleReadRunConsoleLogs(t: SessionTools, req: ReadRunConsoleLogsRequest, signal: AbortSignal): Promise<ApiResponse> {
  const base = {entity: req.entity, project: req.project, runName: req.run_id}
  const tail = req.last !== undefined
  if (tail) {
    if (req.first !== undefined || req.after !== undefined) return apiError("cannot combine 'last' with 'first' or 'after'")
    if (req.last! <= 0) return apiError("'last' must be positive")
  } else if (req.first !== undefined && req.first <= 0) {
    return apiError("'first' must be positive")
  }
  const outcome = tail
    ? await t.gql.execute<ConsoleLogData>({query: RUN_CONSOLE_LOG_TAIL, operationName: 'RunConsoleLogTail', variables: {...base, last: req.last}}, signal)
    : await t.gql.execute<ConsoleLogData>({query: RUN_CONSOLE_LOG_PAGE, operationName: 'RunConsoleLogPage', variables: {...base, first: req.first ?? null, after: req.after ?? null}}, signal)
  if (!outcome.ok) {
    const {message, httpStatus} = outcome.failure
    if (tail || !message.includes('useImprovedPagination')) return failureResponse(outcome.failure)
    return apiError("reading a run's console log from the beginning requires W&B server 0.77 or newer;" + ` request the last N lines of the log instead (${message})`, httpStatus)
  }
  // project is null when it does not exist or cannot be read; run when the run does not exist
  const run = outcome.data?.project?.run
  if (!run) return apiError(`run ${req.entity}/${req.project}/${req.run_id} not found`)
  const response: ReadRunConsoleLogsResponse = {lines: [], end_cursor: '', has_next_page: false, total_lines: BigInt(run.logLineCount ?? 0)}
  const conn = run.logLines // null for a run that never wrote console output
  if (conn) {
    response.lines = (conn.edges ?? []).map((e) => toLine(e?.node ?? {}))
    // a tail's cursors come from the legacy pagination and cannot seed an `after`: not returned
    if (!tail) {
      response.end_cursor = conn.pageInfo?.endCursor ?? ''
      response.has_next_page = hasMoreLines(response, conn.pageInfo?.hasNextPage === true)
    }
  }
  return answer('read_run_console_logs_response', response)
}

/**
 * Whether lines follow this page. The server may cut a page short and still say hasNextPage=false;
 * line numbers are absolute, so lines remain whenever the last one read is not the log's last. A
 * page without a cursor cannot be continued and counts as the end.
 */
function hasMoreLines(page: ReadRunConsoleLogsResponse, serverSaysMore: boolean): boolean {
  if (page.end_cursor === '') return false
  if (serverSaysMore) return true
  const last = page.lines.at(-1)
  return last !== undefined && last.number + 1n < page.total_lines
}

function toLine(node: LogLineNode): RunConsoleLogLine {
  return {
    number: BigInt(node.number ?? 0),
    timestamp: node.timestamp ?? '',
    level: node.level ?? '',
    label: node.label ?? '',
    content: node.line ?? '',
  }
}
