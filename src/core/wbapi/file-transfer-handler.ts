import {stat} from 'node:fs/promises'
import {errorMessage} from '../errors.ts'
import type {ApiResponse, DownloadFileRequest, UploadFileRequest} from '../proto.ts'
import {mergeHeaders} from './headers.ts'
import {answer, apiError, failureResponse} from './responses.ts'
import type {SessionTools} from './session-tools.ts'
import {downloadToFile, sendTransfer} from './transfer.ts'

/**
 * upload_file_request: PUT the file at `path` to `url`, streamed from disk, with the request's
 * headers over the session's extra headers (content-type application/octet-stream unless given).
 * Credentials go along only when `url` is under the base URL. Answers when the upload has ended.
 */
export async function handleUploadFile(t: SessionTools, req: UploadFileRequest, signal: AbortSignal): Promise<ApiResponse> {
  let size: number
  try {
    const info = await stat(req.path)
    if (info.isDirectory()) return apiError(`file transfer: upload: cannot upload directory ${req.path}`)
    size = info.size
  } catch (err) {
    return apiError(`file transfer: upload: ${errorMessage(err)}`)
  }
  const headers = mergeHeaders(t.extraHeaders, req.headers)
  headers['content-type'] ??= 'application/octet-stream'
  const body = size === 0 ? new Uint8Array(0) : Bun.file(req.path)
  const sent = await sendTransfer(t, 'upload', {method: 'PUT', url: req.url, headers, body}, signal)
  if ('failure' in sent) return failureResponse(sent.failure)
  await sent.res.body?.cancel()
  return answer('upload_file_response', {})
}

/**
 * download_file_request: GET `url` into `path` (see downloadToFile); credentials go along only
 * when `url` is under the base URL. Answers when the download has ended.
 */
export async function handleDownloadFile(t: SessionTools, req: DownloadFileRequest, signal: AbortSignal): Promise<ApiResponse> {
  const failure = await downloadToFile(t, {method: 'GET', url: req.url, headers: {...t.extraHeaders}, path: req.path}, signal)
  return failure ? failureResponse(failure) : answer('download_file_response', {})
}
