import {HISTORY_FILE, OUTPUT_FILE, SUMMARY_FILE, type FileStreamRequestBody} from './file-stream.ts'

/**
 * The operation shown while a file_stream request is in flight, as Go core names it: "uploading"
 * and what the request carries among history lines, the summary and console lines, e.g.
 * "uploading history steps 0-9, summary, console lines 3-4" (line offsets, first to last). A
 * request with none of them (a heartbeat, system metrics or `uploaded` alone, the exit) is
 * "uploading data".
 */
export function uploadDescription(body: FileStreamRequestBody): string {
  const parts: string[] = []
  const range = (chunk: {offset: number; content: string[]}) => `${chunk.offset}-${chunk.offset + chunk.content.length - 1}`
  const history = body.files?.[HISTORY_FILE]
  if (history && history.content.length > 0) parts.push(`history steps ${range(history)}`)
  const summary = body.files?.[SUMMARY_FILE]
  if (summary && summary.content.length > 0) parts.push('summary')
  const console = body.files?.[OUTPUT_FILE]
  if (console && console.content.length > 0) parts.push(`console lines ${range(console)}`)
  return parts.length === 0 ? 'uploading data' : `uploading ${parts.join(', ')}`
}
