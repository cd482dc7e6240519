/**
 * Relay-style connections (`edges { node cursor } pageInfo totalCount`) over an in-memory list,
 * with `first`/`after` paging. Cursors are opaque base64 of the item index.
 */
import type {GqlObject} from '../executor.ts'

/** Paging arguments as the clients send them (all optional). */
export interface PageArgs {
  first?: number | null
  after?: string | null
}

/**
 * A connection object over `items`: the page after cursor `after` of at most `first` items
 * (all when `first` is absent), mapped through `toNode`.
 */
export function connection<T>(typename: string, items: T[], args: PageArgs, toNode: (item: T) => GqlObject | null): GqlObject {
  const start = args.after ? decodeCursor(args.after) + 1 : 0
  const limit = typeof args.first === 'number' && args.first >= 0 ? args.first : items.length
  const page = items.slice(start, start + limit)
  const edges = page.map((item, i) => ({__typename: `${typename.replace(/Connection$/, '')}Edge`, cursor: encodeCursor(start + i), node: toNode(item)}))
  const endIndex = start + page.length - 1
  return {
    __typename: typename,
    totalCount: items.length,
    edges,
    pageInfo: {
      __typename: 'PageInfo',
      startCursor: page.length > 0 ? encodeCursor(start) : null,
      endCursor: page.length > 0 ? encodeCursor(endIndex) : (args.after ?? null),
      hasNextPage: start + page.length < items.length,
      hasPreviousPage: start > 0,
    },
  }
}

function encodeCursor(i: number): string {
  return Buffer.from(`cursor:${i}`).toString('base64')
}

function decodeCursor(c: string): number {
  const m = /^cursor:(\d+)$/.exec(Buffer.from(c, 'base64').toString('utf8'))
  return m ? Number(m[1]) : -1
}
