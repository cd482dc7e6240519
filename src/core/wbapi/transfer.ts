import {randomBytes} from 'node:crypto'
import {mkdir, rename, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {HttpError, errorMessage} from '../errors.ts'
import type {ApiFailure} from './responses.ts'
import type {SessionConnection} from './session-connection.ts'

/** How much of a failed transfer's answer goes into the error message. */
const ERROR_BODY_BYTES = 1024

export interface TransferRequest {
  method: 'PUT' | 'GET' | 'HEAD'
  url: string
  headers: Record<string, string>
  body?: BodyInit
  /** Credentials (honoured only under the base URL). Default true. */
  auth?: boolean
}

/**
 * Sends one file-transfer request with the session's transfer policy (429 and 5xx retried, other
 * statuses final). Resolves the 2xx response, or the failure: "file transfer: <what>: failed to
 * <what>: status: <status>: body: <first KiB>" carrying the status, or the local/transport error.
 */
export async function sendTransfer(t: SessionConnection, what: 'upload' | 'download', o: TransferRequest, signal: AbortSignal): Promise<{res: Response} | {failure: ApiFailure}> {
  const policy = t.transferPolicy
  const prefix = `file transfer: ${what}: failed to ${what}: status`
  try {
    const res = await t.http.send({...o, policy, signal, acceptStatus: (s) => !policy.retryStatus(s)})
    if (res.status >= 200 && res.status <= 299) return {res}
    const text = (await res.text().catch(() => '')).slice(0, ERROR_BODY_BYTES)
    const status = res.statusText ? `${res.status} ${res.statusText}` : `${res.status}`
    return {failure: {message: `${prefix}: ${status}: body: ${text}`, httpStatus: res.status}}
  } catch (err) {
    if (err instanceof HttpError) {
      return {failure: {message: `${prefix}: ${err.status}: body: ${err.bodySnippet.slice(0, ERROR_BODY_BYTES)}`, httpStatus: err.status}}
    }
    return {failure: {message: `file transfer: ${what}: ${errorMessage(err)}`, httpStatus: 0}}
  }
}

/**
 * GETs `url` into `path` (its folder created): streamed into a temporary file next to it and
 * renamed into place when complete, so `path` never holds a partial download.
 */
export async function downloadToFile(t: SessionConnection, o: TransferRequest & {path: string}, signal: AbortSignal): Promise<ApiFailure | undefined> {
  const dir = dirname(o.path)
  try {
    await mkdir(dir, {recursive: true})
  } catch (err) {
    return {message: `file transfer: download: ${errorMessage(err)}`, httpStatus: 0}
  }
  const sent = await sendTransfer(t, 'download', o, signal)
  if ('failure' in sent) return sent.failure
  const tmp = join(dir, `.${basename(o.path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await Bun.write(tmp, sent.res)
    await rename(tmp, o.path)
    return undefined
  } catch (err) {
    await rm(tmp, {force: true}).catch(() => {})
    return {message: `file transfer: download: ${errorMessage(err)}`, httpStatus: 0}
  }
}
