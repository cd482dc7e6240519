/**
 * `POST /files/{entity}/{project}/{run}/file_stream` (network-protocol.md §3): each file's
 * `content` sets lines [offset, offset + n) (retries overwrite, never duplicate); `uploaded`
 * marks run files; `preempting` and `complete`/`exitcode` change the run state; an empty body is
 * a heartbeat. Gzip bodies are accepted. Unknown keys (legacy `dropped`, `failed`) are ignored.
 * The answer is `{"exitcode": null, "limits": {}}`, plus `"stopped": true` once a stop was
 * requested (StopRun), which is how clients learn they should stop.
 */
import {parseExtendedJson} from './extended-json.ts'
import type {FileStreamTally} from './filestream-tally.ts'
import type {Store} from './store/index.ts'

/** The request body (only the fields the backend reads). */
interface FileStreamBody {
  files?: Record<string, {offset?: number; content?: unknown[]}>
  uploaded?: string[]
  preempting?: boolean
  complete?: boolean
  exitcode?: number | null
}

/** The HTTP answer for one file_stream request. */
export interface FileStreamResult {
  status: number
  body: Record<string, unknown>
}

const TERMINAL = new Set(['finished', 'failed', 'crashed', 'killed', 'preempted'])

/**
 * Applies one file_stream request to the run `entity/project/run` in a single transaction.
 * `bytes` is the raw body, `gzip` whether it is gzip-encoded. 404 for an unknown run, 400 for an
 * unreadable body. `tally` counts the content lines of every accepted request.
 */
export function handleFileStream(store: Store, entity: string, project: string, runName: string, bytes: Uint8Array, gzip: boolean, tally?: FileStreamTally): FileStreamResult {
  let body: FileStreamBody
  try {
    const raw = gzip ? Bun.gunzipSync(bytes as Uint8Array<ArrayBuffer>) : bytes
    const text = new TextDecoder().decode(raw)
    body = (text.trim() === '' ? {} : parseBody(text)) as FileStreamBody
  } catch (e) {
    return {status: 400, body: {error: `unreadable file_stream body: ${(e as Error).message}`}}
  }
  const p = store.projects.find(entity, project)
  const run = p ? store.runs.find(p.id, runName) : null
  if (!run) return {status: 404, body: {error: `run ${entity}/${project}/${runName} not found`}}

  return store.tx(() => {
    let wroteLines = false
    for (const [file, chunk] of Object.entries(body.files ?? {})) {
      const content = Array.isArray(chunk?.content) ? chunk.content.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))) : []
      if (content.length === 0) continue
      tally?.add(entity, project, runName, file, content)
      store.lines.write(run.id, file, Number(chunk.offset ?? 0), content)
      wroteLines = true
    }
    if (Array.isArray(body.uploaded) && body.uploaded.length > 0) store.runFiles.setUploaded(run.id, body.uploaded.map(String))
    if (body.complete === true) {
      store.runs.finish(run.id, typeof body.exitcode === 'number' ? body.exitcode : null)
    } else if (body.preempting === true) {
      store.runs.setState(run.id, 'preempting')
    } else if (wroteLines && (TERMINAL.has(run.state) || run.state === 'pending')) {
      store.runs.setState(run.id, 'running')
    }
    store.runs.touch(run.id)
    const stopped = store.runs.get(run.id)?.stop_requested === 1
    return {status: 200, body: stopped ? {exitcode: null, limits: {}, stopped: true} : {exitcode: null, limits: {}}}
  })
}

/** Bodies are standard JSON (the lines are strings); tolerate bare NaN/Infinity from other writers. */
function parseBody(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return parseExtendedJson(text)
  }
}
