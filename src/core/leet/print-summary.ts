/** `leet inspect --summary [--json]`: resolve the run file, read it, render it. */
import {readRunDigest} from './read-digest.ts'
import {resolveRunFile} from './resolve-run-file.ts'
import {summaryJson} from './summary-json.ts'
import {summaryText} from './summary-text.ts'

export interface SummaryRequest {
  /** --run-file; '' for the latest run of `wandbDir`. */
  runFile: string
  wandbDir: string
  json: boolean
  /** The clock for "last write Ns ago" (ms since the epoch). */
  nowMs?: number
}

/** The summary text or JSON. Throws LeetInspectError with Go's message for a bad path or file. */
export function renderSummary(req: SummaryRequest): string {
  const digest = readRunDigest(resolveRunFile(req.runFile, req.wandbDir))
  const now = req.nowMs ?? Date.now()
  return req.json ? summaryJson(digest, now) : summaryText(digest, now)
}
