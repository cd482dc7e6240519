import type {Logger} from '../core/observability/index.ts'
import type {SyncSessions} from '../core/server/index.ts'
import type {StreamDeps} from '../core/stream/index.ts'

const NOT_YET = 'nexus: syncing through the service (`wandb sync` with nexus installed as wandb-core) is not available in this version; use `nexus sync` or the original wandb-core'

/**
 * `wandb sync` through the service (init_sync / sync / sync_status). Every operation answers at
 * once with an ERROR message that says what to use instead; nothing is uploaded or marked synced.
 */
export function syncSessions(logger: Logger, _deps: StreamDeps): SyncSessions {
  let next = 0
  return {
    init: () => ({id: `sync-${next++}`}),
    sync: async () => {
      logger.warn('sync: requested through the service, which nexus does not serve yet')
      return {messages: [{severity: 40, content: NOT_YET}]}
    },
    status: () => ({stats: [], new_messages: []}),
  }
}
