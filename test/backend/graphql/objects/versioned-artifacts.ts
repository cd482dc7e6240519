/**
 * `ArtifactCollection.artifacts(filters, order, first, after)`: the versions of a collection as a
 * `VersionedArtifactConnection`, newest first (the server's default order), each edge carrying
 * its `version` ("vN", the index within this collection, which for a linked collection differs
 * from the source artifact's own `versionIndex`). Filters are a JSONString; `state` is honoured
 * (a name or `{"$in": [...]}`), the SDK's `{"state": "COMMITTED"}` among them. Other filter keys
 * are ignored with a log line, since no client used here sends them.
 */
import type {Ctx} from '../context.ts'
import {GqlError, type GqlObject} from '../executor.ts'
import type {CollectionRow, MembershipRow} from '../../store/index.ts'
import {artifactObject} from './artifact.ts'
import {connection, type PageArgs} from './connection.ts'

/** The arguments of the field as the clients send them. */
export interface VersionedArtifactsArgs extends PageArgs {
  filters?: string | Record<string, unknown> | null
  order?: string | null
}

/** The connection of `c`'s versions, filtered and paged as asked. */
export function versionedArtifacts(ctx: Ctx, c: CollectionRow, args: VersionedArtifactsArgs): GqlObject {
  const filters = parseFilters(args.filters)
  const wantState = stateFilter(filters.state)
  for (const key of Object.keys(filters)) if (key !== 'state') ctx.log(`artifacts: filter ${JSON.stringify(key)} ignored`)
  if (args.order !== undefined && args.order !== null && args.order !== '' && args.order !== '-createdAt') {
    ctx.log(`artifacts: order ${JSON.stringify(args.order)} ignored (newest first)`)
  }
  const rows: {m: MembershipRow}[] = []
  for (const m of [...ctx.store.collections.versions(c.id)].reverse()) {
    const a = ctx.store.artifacts.get(m.artifact_id)
    if (a && (wantState === null || wantState.includes(a.state))) rows.push({m})
  }
  const conn = connection('VersionedArtifactConnection', rows, args, ({m}) => {
    const a = ctx.store.artifacts.get(m.artifact_id)
    return a ? artifactObject(ctx, a) : null
  })
  const start = pageStart(args)
  conn.edges = (conn.edges as GqlObject[]).map((e, i) => ({...e, version: `v${rows[start + i].m.version_index}`}))
  return conn
}

/** Where the page starts in the filtered list (connection.ts's cursor rule: base64 "cursor:<i>"). */
function pageStart(args: PageArgs): number {
  if (!args.after) return 0
  const m = /^cursor:(\d+)$/.exec(Buffer.from(args.after, 'base64').toString('utf8'))
  return m ? Number(m[1]) + 1 : 0
}

function parseFilters(raw: VersionedArtifactsArgs['filters']): Record<string, unknown> {
  if (raw === undefined || raw === null || raw === '') return {}
  let value: unknown = raw
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw)
    } catch {
      throw new GqlError(`artifacts: filters is not JSON: ${raw.slice(0, 100)}`)
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new GqlError('artifacts: filters must be a JSON object')
  return value as Record<string, unknown>
}

function stateFilter(v: unknown): string[] | null {
  if (v === undefined || v === null) return null
  if (typeof v === 'string') return [v]
  const list = typeof v === 'object' && !Array.isArray(v) ? (v as {$in?: unknown}).$in : undefined
  if (Array.isArray(list) && list.every((x) => typeof x === 'string')) return list as string[]
  throw new GqlError(`artifacts: unsupported state filter ${JSON.stringify(v)}`)
}
