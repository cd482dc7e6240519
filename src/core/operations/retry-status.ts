import {redactUrl} from '../errors.ts'

/**
 * The error_status texts of an operation whose request is being retried, as Go core writes them:
 * "retrying HTTP 503: <the server's error message>" when the body names an error, else
 * "retrying HTTP 503 Service Unavailable"; "retrying: <error>" for a failure without a response.
 */

/**
 * The error message in a W&B error body (parsed JSON or its text): `{"error": "…"}`,
 * `{"error": {"message": "…"}}`, or `{"errors": [...]}` joined with "; ". Empty when none.
 */
export function errorFromWbResponse(body: unknown): string {
  let value = body
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value)
    } catch {
      return ''
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return ''
  const o = value as {error?: unknown; errors?: unknown}
  if ('error' in o) return messageOf(o.error)
  if (Array.isArray(o.errors))
    return o.errors
      .map(messageOf)
      .filter((m) => m !== '')
      .join('; ')
  return ''
}

function messageOf(v: unknown): string {
  if (typeof v === 'string') return v
  if (v !== null && typeof v === 'object' && typeof (v as {message?: unknown}).message === 'string') return (v as {message: string}).message
  return ''
}

/** Reason phrases for responses that carry none (HTTP/2), as Go's http.StatusText gives them. */
const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  425: 'Too Early',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

/** The error_status for a retried response with `status`, its reason phrase and its body. */
export function httpRetryStatus(status: number, statusText: string, body: unknown): string {
  const message = errorFromWbResponse(body)
  if (message !== '') return `retrying HTTP ${status}: ${message}`
  const reason = statusText.trim() || REASONS[status] || ''
  return `retrying HTTP ${reason ? `${status} ${reason}` : status}`
}

/** The error_status for a retried request that got no response (connection refused, timeout). */
export function errorRetryStatus(error: unknown): string {
  const cause = (error as {cause?: unknown})?.cause
  const message = error instanceof Error ? error.message : String(error)
  // ky wraps fetch's failure in its own "Request failed due to a network error": the cause says what.
  const detail = cause instanceof Error && /network error/i.test(message) ? cause.message : message
  // signed URLs carry credentials in their query: never shown
  return `retrying: ${redactUrl(detail)}`
}
