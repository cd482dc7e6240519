import {EVENTS_FILE, HISTORY_FILE, OUTPUT_FILE, SUMMARY_FILE, type FileStreamOffsets, type FileStreamRequestBody} from './file-stream.ts'
import {utf8Bytes, type PendingData} from './pending-data.ts'

/** One request to send, and whether data is left over for the next one. */
export interface PoppedRequest {
  body: FileStreamRequestBody
  hasMore: boolean
}

/**
 * Turns pending data into request bodies and owns the line offsets: history and events offsets
 * advance by one per line taken, the summary always rewrites the same line, console lines are
 * placed at the session offset plus their line number. Because offsets are fixed when a body is
 * built, a retried request rewrites the same lines on the server (idempotent).
 *
 * A body holds about `maxRequestBytes` of line content at most (counted like Go core: the UTF-8
 * size of the lines, not of the JSON); a single larger line still goes alone. Only one consecutive
 * run of console lines fits in a body. `complete` goes only into a body that empties the data.
 */
export class RequestState {
  readonly maxRequestBytes: number
  historyLine = 0
  eventsLine = 0
  summaryLine = 0
  consoleOffset = 0
  /** The last summary line put into a body: an equal summary is not sent again. */
  lastSummary: string | undefined

  constructor(maxRequestBytes: number) {
    this.maxRequestBytes = maxRequestBytes
  }

  /** Sets the first line numbers to write (at start; a resumed run continues after its lines). */
  setOffsets(offsets: Partial<FileStreamOffsets>): void {
    this.historyLine = offsets.history ?? 0
    this.eventsLine = offsets.events ?? 0
    this.summaryLine = offsets.summary ?? 0
    this.consoleOffset = offsets.output ?? 0
  }

  /** Whether the pending data already fills a request (then it is sent without waiting). */
  isAtSizeLimit(p: PendingData): boolean {
    let size = p.historyBytes + p.eventsBytes
    if (size >= this.maxRequestBytes) return true
    if (p.summary !== undefined) size += utf8Bytes(p.summary)
    if (size >= this.maxRequestBytes) return true
    for (const n of p.firstConsoleRun()) {
      size += utf8Bytes(p.console.get(n)!)
      if (size >= this.maxRequestBytes) return true
    }
    return false
  }

  /** Takes the next body out of `p`, advancing the offsets. */
  pop(p: PendingData): PoppedRequest {
    let size = 0
    let hasMore = false
    const fits = (n: number): boolean => {
      if (size !== 0 && size + n > this.maxRequestBytes) {
        hasMore = true
        return false
      }
      size += n
      return true
    }
    const files: NonNullable<FileStreamRequestBody['files']> = {}

    const takeLines = (lines: string[]): {taken: string[]; bytes: number} => {
      let count = 0
      let bytes = 0
      while (count < lines.length) {
        const n = utf8Bytes(lines[count])
        if (!fits(n)) break
        bytes += n
        count++
      }
      return {taken: lines.splice(0, count), bytes}
    }

    const history = takeLines(p.history)
    if (history.taken.length > 0) {
      files[HISTORY_FILE] = {offset: this.historyLine, content: history.taken}
      this.historyLine += history.taken.length
      p.historyBytes -= history.bytes
    }
    const events = takeLines(p.events)
    if (events.taken.length > 0) {
      files[EVENTS_FILE] = {offset: this.eventsLine, content: events.taken}
      this.eventsLine += events.taken.length
      p.eventsBytes -= events.bytes
    }
    if (p.summary !== undefined && fits(utf8Bytes(p.summary))) {
      files[SUMMARY_FILE] = {offset: this.summaryLine, content: [p.summary]}
      this.lastSummary = p.summary
      p.summary = undefined
    }
    const run = p.firstConsoleRun()
    const consoleLines: string[] = []
    for (const n of run) {
      const line = p.console.get(n)!
      if (!fits(utf8Bytes(line))) break
      consoleLines.push(line)
      p.console.delete(n)
    }
    if (consoleLines.length > 0) files[OUTPUT_FILE] = {offset: this.consoleOffset + run[0], content: consoleLines}
    if (p.console.size > 0) hasMore = true

    const body: FileStreamRequestBody = {}
    if (Object.keys(files).length > 0) body.files = files
    if (p.uploaded.size > 0) {
      body.uploaded = [...p.uploaded]
      p.uploaded.clear()
    }
    if (p.preempting) {
      body.preempting = true
      p.preempting = false
    }
    if (!hasMore && p.complete) {
      body.complete = true
      body.exitcode = p.exitCode
      p.complete = false
    }
    return {body, hasMore}
  }
}

/** A short description of a body for the logs (offsets and counts, never content). */
export function describeBody(body: FileStreamRequestBody): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, chunk] of Object.entries(body.files ?? {})) out[name] = `${chunk.offset}+${chunk.content.length}`
  if (body.uploaded) out.uploaded = body.uploaded.length
  if (body.preempting) out.preempting = true
  if (body.complete) out.exitcode = body.exitcode
  return out
}
