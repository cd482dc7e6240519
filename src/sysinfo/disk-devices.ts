import {realpathSync} from 'node:fs'
import {basename, posix} from 'node:path'
import type {MountEntry} from './proc-parsers.ts'

/** Loop, RAM and compressed-RAM devices are never reported for disk I/O. */
export function isPseudoDevice(name: string): boolean {
  return /^(loop|ram|zram)/.test(name)
}

/** The mount holding `path`: the longest mount point that is `path` or one of its ancestors. */
export function mountFor(mounts: MountEntry[], path: string): MountEntry | undefined {
  const p = posix.normalize(path)
  let best: MountEntry | undefined
  for (const m of mounts) {
    const mp = m.mountPoint
    const contains = p === mp || mp === '/' || p.startsWith(mp.endsWith('/') ? mp : mp + '/')
    if (contains && (!best || mp.length > best.mountPoint.length)) best = m
  }
  return best
}

/** The /proc/diskstats name of a mount's device: `/dev/vda1` → `vda1`, `/dev/mapper/x` → `dm-0` (symlinks resolved). */
export function deviceName(device: string, resolve: (p: string) => string = realpathSync): string | undefined {
  if (!device.startsWith('/dev/')) return undefined
  try {
    return basename(resolve(device))
  } catch {
    return device.slice('/dev/'.length)
  }
}

/**
 * The block devices whose I/O is reported for the monitored disk paths, as Go core chooses them:
 * the devices backing the paths that /proc/diskstats knows; when "/" alone is asked for and it is
 * not a block device (an overlay in a container), or when nothing matched, every real device.
 */
export function diskIoDevices(o: {diskPaths: string[]; mounts: MountEntry[]; known: Set<string>; resolve?: (p: string) => string}): string[] {
  const chosen = new Set<string>()
  for (const path of o.diskPaths) {
    const mount = mountFor(o.mounts, path)
    const name = mount ? deviceName(mount.device, o.resolve) : undefined
    if (name && o.known.has(name)) chosen.add(name)
  }
  if (chosen.size === 0) for (const d of o.known) if (!isPseudoDevice(d)) chosen.add(d)
  return [...chosen].sort()
}
