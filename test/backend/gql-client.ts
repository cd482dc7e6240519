/**
 * A minimal client for tests that talk to the backend directly: GraphQL posts with the clients'
 * Basic auth (`api:KEY`), file_stream posts and authorization headers.
 */

/** `Authorization: Basic base64("api:KEY")`, as wandb-core sends it. */
export function basicAuth(key: string): string {
  return 'Basic ' + Buffer.from(`api:${key}`).toString('base64')
}

/** The answer of a GraphQL post. */
export interface GqlAnswer {
  status: number
  data: any
  errors?: {message: string}[]
}

/** Posts a document (with `operationName: ""`, like the SDK passthrough does). */
export async function gql(backend: {url: string; apiKey: string}, query: string, variables: Record<string, unknown> = {}, key = backend.apiKey): Promise<GqlAnswer> {
  const res = await fetch(`${backend.url}/graphql`, {
    method: 'POST',
    headers: {'Content-Type': 'application/json', Authorization: basicAuth(key)},
    body: JSON.stringify({query, variables, operationName: ''}),
  })
  const text = await res.text()
  let body: {data?: unknown; errors?: {message: string}[]} = {}
  try {
    body = JSON.parse(text)
  } catch {
    body = {errors: [{message: text}]}
  }
  return {status: res.status, data: body.data ?? null, errors: body.errors}
}

/** Like gql, but throws unless the answer is HTTP 200 without errors; returns `data`. */
export async function gqlOk(backend: {url: string; apiKey: string}, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const r = await gql(backend, query, variables)
  if (r.status !== 200 || r.errors) throw new Error(`GraphQL failed: HTTP ${r.status} ${JSON.stringify(r.errors)}`)
  return r.data
}

/** Creates (or updates) a run through UpsertBucket and returns the bucket. */
export async function upsertRun(backend: {url: string; apiKey: string}, vars: Record<string, unknown>): Promise<any> {
  const data = await gqlOk(
    backend,
    `mutation UpsertBucket($id: String, $name: String, $project: String, $entity: String, $notes: String, $config: JSONString, $tags: [String!], $displayName: String) {
    upsertBucket(input: {id: $id, name: $name, modelName: $project, entityName: $entity, notes: $notes, config: $config, tags: $tags, displayName: $displayName}) {
      bucket { id name displayName notes config historyLineCount project { name entity { name } } } inserted } }`,
    vars,
  )
  return data.upsertBucket
}

/** Posts one file_stream request (optionally gzip-compressed). */
export async function fileStream(backend: {url: string; apiKey: string}, path: string, body: unknown, opts: {gzip?: boolean} = {}): Promise<{status: number; body: any}> {
  const json = JSON.stringify(body)
  const res = await fetch(`${backend.url}/files/${path}/file_stream`, {
    method: 'POST',
    headers: {'Content-Type': 'application/json', Authorization: basicAuth(backend.apiKey), ...(opts.gzip ? {'Content-Encoding': 'gzip'} : {})},
    body: opts.gzip ? Bun.gzipSync(new TextEncoder().encode(json)) : json,
  })
  return {status: res.status, body: await res.json().catch(() => null)}
}
