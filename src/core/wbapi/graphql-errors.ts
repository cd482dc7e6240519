/**
 * The messages the SDK gets for failed GraphQL requests, worded as Go core words them (genqlient
 * 0.8.1 plus wbapi's graphqlErrorInfo), because SDK code matches on substrings of them.
 */
import type {ApiFailure} from './responses.ts'

interface GraphQLErrorEntry {
  message: string
  path?: Array<string | number>
  locations?: Array<{line?: number}>
  extensions?: {file?: unknown}
}

/**
 * A non-200 answer: one server error message as is, several as "[a; b]", a body that is not a
 * GraphQL response as the body itself, and a GraphQL response without errors as
 * "returned error <status>: <response JSON>". Always carries the status.
 */
export function httpFailure(status: number, body: string): ApiFailure {
  const parsed = parseResponse(body)
  let message: string
  if (parsed === undefined) message = body
  else if (parsed.errors.length === 1) message = parsed.errors[0].message
  else if (parsed.errors.length > 1) message = `[${parsed.errors.map((e) => e.message).join('; ')}]`
  else message = `returned error ${status}: ${JSON.stringify(parsed.envelope)}`
  return {message: message === '' ? '<no message>' : message, httpStatus: status}
}

/**
 * A 200 answer with `errors`: one line per error, "input[:line]: [path ]message" and a newline
 * each (gqlparser's rendering). The status is 0, as in Go, because HTTP itself succeeded.
 */
export function graphqlErrorsFailure(errors: unknown[]): ApiFailure {
  const lines = errors.map((raw) => {
    const e = toEntry(raw) ?? {message: typeof raw === 'string' ? raw : JSON.stringify(raw)}
    const file = typeof e.extensions?.file === 'string' && e.extensions.file !== '' ? e.extensions.file : 'input'
    const line = e.locations && e.locations.length > 0 ? `:${e.locations[0].line ?? 0}` : ''
    const path = pathString(e.path)
    return `${file}${line}: ${path === '' ? '' : `${path} `}${e.message}\n`
  })
  return {message: lines.join(''), httpStatus: 0}
}

/** "a.b[0].c" for a GraphQL error path. */
function pathString(path: Array<string | number> | undefined): string {
  if (!path) return ''
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')
}

/**
 * The body as a GraphQL response, or undefined where Go could not decode one (not JSON, not an
 * object, or errors that are not objects with a string message).
 */
function parseResponse(body: string): {errors: GraphQLErrorEntry[]; envelope: Record<string, unknown>} | undefined {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return undefined
  }
  if (json === null) return {errors: [], envelope: {data: null}}
  if (typeof json !== 'object' || Array.isArray(json)) return undefined
  const obj = json as Record<string, unknown>
  const rawErrors = obj.errors ?? []
  if (!Array.isArray(rawErrors)) return undefined
  const errors: GraphQLErrorEntry[] = []
  for (const raw of rawErrors) {
    const entry = toEntry(raw)
    if (!entry) return undefined
    errors.push(entry)
  }
  const envelope: Record<string, unknown> = {data: obj.data ?? null}
  if (obj.extensions && typeof obj.extensions === 'object' && Object.keys(obj.extensions).length > 0) envelope.extensions = obj.extensions
  return {errors, envelope}
}

function toEntry(raw: unknown): GraphQLErrorEntry | undefined {
  if (raw === null) return {message: ''}
  if (typeof raw !== 'object' || Array.isArray(raw)) return undefined
  const e = raw as Record<string, unknown>
  if (e.message !== undefined && e.message !== null && typeof e.message !== 'string') return undefined
  return {
    message: (e.message as string | undefined) ?? '',
    path: Array.isArray(e.path) ? (e.path as Array<string | number>) : undefined,
    locations: Array.isArray(e.locations) ? (e.locations as Array<{line?: number}>) : undefined,
    extensions: e.extensions && typeof e.extensions === 'object' ? (e.extensions as {file?: unknown}) : undefined,
  }
}
