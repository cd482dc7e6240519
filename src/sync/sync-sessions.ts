import {isAbsolute, join, relative} from 'node:path'
import type {Logger} from '../core/observability/index.ts'
import {Operation, OperationStats, ServerSyncMessage, type ServerInitSyncRequest, type ServerSyncStatusResponse} from '../core/proto.ts'
import {systemClock} from '../core/runtime/index.ts'
import type {SyncSessions} from '../core/server/index.ts'
import {RunSettings} from '../core/settings/index.ts'
import type {StreamDeps} from '../core/stream/index.ts'
import {discoverTargets, type SyncTarget} from './discover.ts'
import type {ReplayProgress} from './run-replayer.ts'
import {syncTargets} from './sync-manager.ts'

const INFO = 20
const ERROR = 40

interface Pending {
  request: ServerInitSyncRequest
  started: boolean
  messages: ServerSyncMessage[]
  progress: Map<string, {label: string; progress?: ReplayProgress}>
}

/**
 * `wandb sync` through the service (init_sync / sync / sync_status) on the same engine as
 * `nexus sync`: init registers the paths, sync replays them (answering when done with the
 * messages not yet shown), sync_status reports per-file progress and new messages.
 */
export function syncSessions(logger: Logger, _deps: StreamDeps): SyncSessions {
  let next = 0
  const ops = new Map<string, Pending>()
  const display = (file: string, cwd: string) => {
    const rel = relative(cwd, file)
    return rel.length < file.length && !rel.startsWith('..') ? rel : file
  }
  return {
    init(request) {
      const id = `sync-${next++}`
      ops.set(id, {request, started: false, messages: [], progress: new Map()})
      return {id}
    },

    async sync(req, signal) {
      const op = ops.get(req.id)
      if (!op || op.started) {
        return {messages: [ServerSyncMessage.create({severity: ERROR, content: `Internal error: operation unknown or already started: ${req.id}`})]}
      }
      op.started = true
      const r = op.request
      const cwd = r.cwd || process.cwd()
      const settings = new RunSettings(r.settings ?? ({} as never))
      let targets: SyncTarget[]
      try {
        targets = discoverTargets(
          r.path.map((p) => (isAbsolute(p) ? p : join(cwd, p))),
          cwd,
        )
      } catch (err) {
        return {messages: [ServerSyncMessage.create({severity: ERROR, content: (err as {userText?: string}).userText ?? String(err)})]}
      }
      const results = await syncTargets(targets, {
        sync: {
          baseUrl: settings.baseUrl,
          apiKey: settings.apiKey,
          extraHeaders: settings.extraHttpHeaders,
          entity: r.new_entity || undefined,
          project: r.new_project || undefined,
          runId: r.new_run_id || undefined,
          jobType: r.new_job_type || undefined,
          tagReplacements: Object.keys(r.tag_replacements).length > 0 ? r.tag_replacements : undefined,
        },
        parallel: Math.max(1, req.parallelism || 1),
        live: r.live,
        logger,
        clock: systemClock,
        signal,
        onStart: (t) => op.progress.set(t.file, {label: display(t.runDir, cwd)}),
        onProgress: (t, p) => {
          const entry = op.progress.get(t.file)
          if (entry) entry.progress = p
        },
        onDone: (t, result) => {
          op.progress.delete(t.file)
          const where = `[${[result.entity, result.project, result.runId].filter(Boolean).join('/')}] `
          if (result.status === 'failed' || result.status === 'busy') {
            op.messages.push(ServerSyncMessage.create({severity: ERROR, content: `${where}${result.error?.userText ?? 'Sync failed.'}`}))
            return
          }
          if (result.url) op.messages.push(ServerSyncMessage.create({severity: INFO, content: `${where}View run ${result.displayName || result.runId} at ${result.url}`}))
          if (result.status !== 'synced') {
            op.messages.push(ServerSyncMessage.create({severity: ERROR, content: `${where}Not every upload was delivered or the file is damaged; it was not marked synced. Run the sync again.`}))
          } else {
            op.messages.push(ServerSyncMessage.create({severity: INFO, content: `Finished syncing ${display(t.runDir, cwd)}`}))
          }
        },
      })
      logger.info('sync: done through the service', {id: req.id, files: results.length})
      ops.delete(req.id)
      return {messages: op.messages.splice(0)}
    },

    status(req): ServerSyncStatusResponse {
      const op = ops.get(req.id)
      if (!op?.started) return {stats: [], new_messages: []}
      const stats = [...op.progress.values()].map((p) =>
        OperationStats.create({
          label: p.label,
          operations: [
            Operation.create({
              desc: p.progress ? `${p.progress.phase} (${p.progress.records} records)` : 'starting',
              progress: p.progress && p.progress.totalBytes > 0 ? `${Math.floor((100 * p.progress.bytesRead) / p.progress.totalBytes)}%` : '',
            }),
          ],
          total_operations: 1n,
        }),
      )
      return {stats, new_messages: op.messages.splice(0)}
    },
  }
}
