import type {statfsSync} from 'node:fs'
import type {EnvironmentRecord} from '../core/proto.ts'
import type {Metrics} from './resource.ts'

/** The statfs fields used, as numbers (the non-bigint form of node:fs StatFs). */
export type StatfsFn = (path: string) => {bsize: number; blocks: number; bfree: number; bavail: number; frsize?: number}

/** File system usage of one path in bytes, with gopsutil's percentage: used / (used + available to users). */
export interface DiskUsage {
  total: number
  used: number
  usedPercent: number
}

/** statfs(path) as usage numbers; undefined when the path cannot be queried. */
export function diskUsage(statfs: StatfsFn | typeof statfsSync, path: string): DiskUsage | undefined {
  try {
    const s = (statfs as StatfsFn)(path)
    const unit = s.frsize || s.bsize
    const total = s.blocks * unit
    const used = (s.blocks - s.bfree) * unit
    const avail = s.bavail * unit
    return {total, used, usedPercent: used + avail > 0 ? (used / (used + avail)) * 100 : 0}
  } catch {
    return undefined
  }
}

/** Go's disk metrics: `disk.<path>.usagePercent` and `disk.<path>.usageGB` for each path that can be queried. */
export function setDiskUsageMetrics(m: Metrics, statfs: StatfsFn | typeof statfsSync, paths: readonly string[]): void {
  for (const path of paths) {
    const usage = diskUsage(statfs, path)
    if (!usage) continue
    m.set(`disk.${path}.usagePercent`, usage.usedPercent)
    m.set(`disk.${path}.usageGB`, usage.used / 1024 ** 3)
  }
}

/** The machine description's disks: total and used bytes of each path that can be queried. */
export function diskTotals(statfs: StatfsFn | typeof statfsSync, paths: readonly string[]): EnvironmentRecord['disk'] {
  const disk: EnvironmentRecord['disk'] = {}
  for (const path of paths) {
    const usage = diskUsage(statfs, path)
    if (usage) disk[path] = {total: BigInt(usage.total), used: BigInt(usage.used)}
  }
  return disk
}
