/**
 * Verifying an API key the way `wandb login` does: a GraphQL Viewer query with the key. The key
 * is valid exactly when the server names an account. Failures are split into "the server said
 * no" (ApiKeyRejectedError, exit 4) and "no usable answer" (ServerUnreachableError, exit 5), with
 * a short retry policy so an unreachable host fails in seconds, like the SDK's own login.
 */
import {GRAPHQL_POLICY, GraphQLClient, GraphQLError, HttpClient, VIEWER_QUERY, basicAuthorization, type RetryPolicy} from '../api/index.ts'
import {HttpError, NetworkError, PermanentError, TimeoutError, errorMessage, findInChain} from '../errors.ts'
import {nullLogger, type Logger} from '../observability/index.ts'
import {ApiKeyRejectedError, ServerUnreachableError} from './errors.ts'

/** Who a key belongs to, as the server's Viewer says. */
export interface Identity {
  username: string
  /** The account's default entity (for a service account: its team). */
  entity: string
  email: string
  /** The teams (entities) the account is a member of. */
  teams: string[]
}

interface ViewerAnswer {
  viewer?: {
    entity?: string | null
    username?: string | null
    email?: string | null
    teams?: {edges?: Array<{node?: {name?: string | null} | null} | null> | null} | null
  } | null
}

/** Login verification: 3 attempts 0.25–1 s apart, 10 s each (the SDK's login timeout). */
export const LOGIN_POLICY: RetryPolicy = {...GRAPHQL_POLICY, name: 'login', maxRetries: 2, waitMinMs: 250, waitMaxMs: 1000, timeoutMs: 10_000}

/** Options of fetchIdentity. */
export interface FetchIdentityOptions {
  /** Normalised base URL. */
  baseUrl: string
  apiKey: string
  policy?: RetryPolicy
  /** Overall deadline for all attempts (default: 2.5 × the policy's per-attempt timeout). */
  deadlineMs?: number
  logger?: Logger
  /** For tests: replaces globalThis.fetch. */
  fetch?: typeof fetch
}

/**
 * Asks the server who `apiKey` belongs to. Throws ApiKeyRejectedError when the server rejects the
 * key (401/403, GraphQL errors, no viewer) and ServerUnreachableError when there is no usable
 * answer (connection failure, timeout, other HTTP statuses after retries, not a W&B server).
 */
export async function fetchIdentity(o: FetchIdentityOptions): Promise<Identity> {
  const policy = o.policy ?? LOGIN_POLICY
  const http = new HttpClient({baseUrl: o.baseUrl, authorization: () => basicAuthorization(o.apiKey), logger: o.logger ?? nullLogger, fetch: o.fetch})
  const gql = new GraphQLClient(http)
  const deadline = new AbortController()
  const deadlineMs = o.deadlineMs ?? (policy.timeoutMs === false ? 30_000 : policy.timeoutMs * 2.5)
  const timer = setTimeout(() => deadline.abort(new TimeoutError(`credentials: no answer from ${o.baseUrl} within ${deadlineMs} ms`)), deadlineMs)
  let data: ViewerAnswer
  try {
    data = await gql.request<ViewerAnswer>({query: VIEWER_QUERY, operationName: 'Viewer'}, {policy, signal: deadline.signal})
  } catch (err) {
    throw classify(o.baseUrl, err)
  } finally {
    clearTimeout(timer)
  }
  const v = data?.viewer
  if (!v) throw new ApiKeyRejectedError(o.baseUrl, 'the server did not recognize an account for this key')
  return {
    username: v.username ?? '',
    entity: v.entity ?? '',
    email: v.email ?? '',
    teams: (v.teams?.edges ?? []).flatMap((e) => (e?.node?.name ? [e.node.name] : [])),
  }
}

function classify(baseUrl: string, err: unknown): Error {
  const http = findInChain(err, HttpError)
  if (http && (http.status === 401 || http.status === 403)) {
    return new ApiKeyRejectedError(baseUrl, `HTTP ${http.status}${serverMessage(http.bodySnippet)}`, {status: http.status, cause: err})
  }
  if (err instanceof GraphQLError) return new ApiKeyRejectedError(baseUrl, err.messages.join('; '), {cause: err})
  if (http) return new ServerUnreachableError(baseUrl, `the server answered HTTP ${http.status} at ${http.url}${serverMessage(http.bodySnippet)}`, err)
  if (findInChain(err, TimeoutError)) return new ServerUnreachableError(baseUrl, 'the server did not answer in time', err)
  if (findInChain(err, NetworkError)) return new ServerUnreachableError(baseUrl, `cannot connect (${causeText(err)})`, err)
  if (findInChain(err, PermanentError)) return new ServerUnreachableError(baseUrl, 'the answer is not JSON; is this a W&B server?', err)
  return new ServerUnreachableError(baseUrl, errorMessage(err), err)
}

/** The server's own message from an error body (`{"errors": [{"message": …}]}` or text), if short. */
function serverMessage(body: string): string {
  let text = body.trim()
  try {
    const parsed = JSON.parse(text) as {errors?: Array<{message?: string} | string>; error?: string}
    const first = parsed.errors?.[0]
    text = (typeof first === 'string' ? first : first?.message) ?? parsed.error ?? ''
  } catch {
    // not JSON: the text itself
  }
  return text === '' ? '' : `: ${text.slice(0, 200)}`
}

/** The innermost cause's message (Bun's "Unable to connect…"), without our prefixes. */
function causeText(err: unknown): string {
  let cur: unknown = err
  while (cur instanceof Error && cur.cause instanceof Error) cur = cur.cause
  return errorMessage(cur)
}
