import type {HostFiles} from './host-files.ts'
import {parseChildren, parseProcStat, parseStatusRssBytes, type ProcStat} from './proc-parsers.ts'

/** One process's counters at one moment. */
export interface ProcessReading extends ProcStat {
  pid: number
  rssBytes: number
}

/** Safety bound on a process tree walk (a fork bomb must not stall sampling). */
const MAX_TREE = 4096

/**
 * The pids of `pid` and, with `tree`, all its descendants (breadth first). Children come from
 * /proc/<pid>/task/<pid>/children; on kernels without that file the whole of /proc is scanned once
 * for parent pids.
 */
export function processTree(files: HostFiles, pid: number, tree: boolean): number[] {
  if (!tree) return [pid]
  const out = [pid]
  const seen = new Set(out)
  let byParent: Map<number, number[]> | undefined
  for (let i = 0; i < out.length && out.length < MAX_TREE; i++) {
    const p = out[i]
    const text = files.read(`/proc/${p}/task/${p}/children`)
    let children: number[]
    if (text !== undefined) children = parseChildren(text)
    else {
      byParent ??= parentIndex(files)
      children = byParent.get(p) ?? []
    }
    for (const c of children) {
      if (seen.has(c)) continue
      seen.add(c)
      out.push(c)
    }
  }
  return out
}

function parentIndex(files: HostFiles): Map<number, number[]> {
  const index = new Map<number, number[]>()
  for (const name of files.list('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const stat = parseProcStat(files.read(`/proc/${name}/stat`) ?? '')
    if (!stat) continue
    const list = index.get(stat.ppid) ?? []
    list.push(Number(name))
    index.set(stat.ppid, list)
  }
  return index
}

/** Reads the counters of one process; undefined when it has exited or cannot be read. */
export function readProcess(files: HostFiles, pid: number): ProcessReading | undefined {
  const stat = parseProcStat(files.read(`/proc/${pid}/stat`) ?? '')
  if (!stat) return undefined
  const rssBytes = parseStatusRssBytes(files.read(`/proc/${pid}/status`) ?? '') ?? 0
  return {...stat, pid, rssBytes}
}

/**
 * CPU usage of a changing set of processes between successive readings. A pid seen for the first
 * time (or reused by a new process, told apart by its start time) only sets a baseline, so
 * processes that exit or appear between samples never produce negative or inflated deltas.
 */
export class CpuTicksTracker {
  #last = new Map<number, {startTicks: number; cpuTicks: number}>()

  /** CPU ticks used by `readings` since the previous call; the tracker then remembers them. */
  delta(readings: ProcessReading[]): number {
    let ticks = 0
    const next = new Map<number, {startTicks: number; cpuTicks: number}>()
    for (const r of readings) {
      const prev = this.#last.get(r.pid)
      if (prev && prev.startTicks === r.startTicks && r.cpuTicks >= prev.cpuTicks) ticks += r.cpuTicks - prev.cpuTicks
      next.set(r.pid, {startTicks: r.startTicks, cpuTicks: r.cpuTicks})
    }
    this.#last = next
    return ticks
  }
}
