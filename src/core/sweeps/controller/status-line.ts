/**
 * The controller's status line, as wandb_controller.py `_sweep_status` prints it:
 * `Sweep: ID (method[,early_terminate]) | Runs: N (Running: 1, Finished: 2) | Stopped: 1 (Stopping: 1)`.
 */
import type {SnapshotRun, SweepSnapshot} from './sweep-snapshot.ts'

/** Run states in the order wandb lists them (sweeps.RunState), then "unknown". */
const ORDER = ['pending', 'running', 'finished', 'killed', 'crashed', 'failed', 'preempted', 'preempting', 'unknown'] as const

export function statusLine(sweep: SweepSnapshot): string {
  const runs = sweep.runs
  const counts = new Map<string, number>()
  for (const r of runs) {
    const key = (ORDER as readonly string[]).includes(r.state) ? r.state : 'unknown'
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  const byState = ORDER.filter((s) => counts.get(s))
    .map((s) => `${s[0].toUpperCase()}${s.slice(1)}: ${counts.get(s)}`)
    .join(', ')
  const method = typeof sweep.config.method === 'string' ? sweep.config.method : 'unknown'
  const et = sweep.config.early_terminate as {type?: unknown} | undefined
  const options = [method, ...(et ? [typeof et.type === 'string' ? et.type : 'unknown'] : [])].join(',')
  const sections = [`Sweep: ${sweep.name} (${options})`, byState ? `Runs: ${runs.length} (${byState})` : `Runs: ${runs.length}`]
  const stopped = count(runs, (r) => r.stopped)
  const stopping = count(runs, (r) => r.shouldStop)
  if (stopped || stopping) sections.push(`Stopped: ${stopped}${stopping ? ` (Stopping: ${stopping})` : ''}`)
  return sections.join(' | ')
}

function count(runs: SnapshotRun[], pick: (r: SnapshotRun) => boolean): number {
  return runs.filter(pick).length
}
