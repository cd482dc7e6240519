import type {statfsSync} from 'node:fs'

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
