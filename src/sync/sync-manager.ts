import type {Logger} from '../core/observability/index.ts'
import type {Clock} from '../core/runtime/index.ts'
import type {SyncTarget} from './discover.ts'
import {OfflineSweepLinker} from './offline-sweep-link.ts'
import {readRunInfo} from './run-info.ts'
import {RunReplayer, type ReplayProgress, type ReplayResult} from './run-replayer.ts'
import type {SyncOptions} from './sync-settings.ts'

export interface SyncPlanOptions {
  sync: SyncOptions
  parallel: number
  live?: boolean
  resume?: boolean
  markSynced?: boolean
  logger: Logger
  clock: Clock
  /** Stops every replay at once; runs not started yet are not started. */
  signal?: AbortSignal
  /** See ReplayerOptions.maxRetryMs. */
  maxRetryMs?: number
  onStart?: (target: SyncTarget) => void
  /** A line for the user about a run in flight (retries, waits). */
  onNotice?: (target: SyncTarget, line: string) => void
  onProgress?: (target: SyncTarget, progress: ReplayProgress) => void
  onDone?: (target: SyncTarget, result: ReplayResult) => void
}

/**
 * Syncs targets with at most `parallel` runs at once. Files of the same run (same
 * entity/project/id after --entity/--project/--id) form a group synced one after another in start
 * order, each continuing the file_stream lines of the one before (resumed fragments, --id
 * stitching); groups run in parallel. Resolves the results in input order (after an abort, only
 * those of the runs that were started).
 */
export async function syncTargets(targets: SyncTarget[], o: SyncPlanOptions): Promise<ReplayResult[]> {
  const groups = new Map<string, Array<{target: SyncTarget; index: number; start: number}>>()
  targets.forEach((target, index) => {
    const info = readRunInfo(target.file)
    const key = [o.sync.entity || info?.entity || '', o.sync.project || info?.project || '', o.sync.runId || info?.runId || target.file].join('/')
    const list = groups.get(key) ?? []
    list.push({target, index, start: info?.startTimeMs ?? 0})
    groups.set(key, list)
  })
  const results: ReplayResult[] = new Array(targets.length)
  // trial runs of offline sweeps join a sweep created on the server (one per sweep and destination)
  const sync = o.sync.sweepLink ? o.sync : {...o.sync, sweepLink: new OfflineSweepLinker({baseUrl: o.sync.baseUrl, apiKey: o.sync.apiKey}).link}
  const queue = [...groups.values()].map((g) => g.sort((a, b) => a.start - b.start))
  const worker = async () => {
    for (let group = queue.shift(); group; group = queue.shift()) {
      let offsets = {history: 0, events: 0}
      for (const {target, index} of group) {
        if (o.signal?.aborted) return
        o.onStart?.(target)
        const result = await new RunReplayer({
          file: target.file,
          sync,
          logger: o.logger.with({file: target.file}),
          clock: o.clock,
          live: o.live,
          resume: o.resume,
          markSynced: o.markSynced,
          signal: o.signal,
          maxRetryMs: o.maxRetryMs,
          onNotice: (line) => o.onNotice?.(target, line),
          initialOffsets: group.length > 1 ? offsets : undefined,
          onProgress: (p) => o.onProgress?.(target, p),
        }).run()
        offsets = result.offsets
        results[index] = result
        o.onDone?.(target, result)
      }
    }
  }
  await Promise.all(Array.from({length: Math.max(1, Math.min(o.parallel, queue.length))}, worker))
  return results.filter(Boolean)
}
