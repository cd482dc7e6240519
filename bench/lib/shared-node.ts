/**
 * The shared node service in the bench: each measurement gives the SDK processes a fresh
 * XDG_RUNTIME_DIR, so it pays for starting its node service (a cold start, as a job does), and
 * afterwards reads the node's CPU seconds and peak RSS from /proc and stops it. GNU time sees only
 * the stand-ins, which are the processes the SDK launched.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {nodePids} from '../../test/helpers/shared-node.ts'
import type {ServiceUsage} from './cores.ts'

export {nodePids}

const CLOCK_TICKS = 100

/** A fresh runtime dir (0700) for one measurement's node service. */
export function freshRuntimeDir(root: string): string {
  return mkdtempSync(join(root, 'rt-'))
}

/** CPU seconds and peak RSS of a live process, from /proc. */
export function procUsage(pid: number): ServiceUsage {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const hwm = /VmHWM:\s+(\d+) kB/.exec(status)
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  if (!hwm) throw new Error(`bench: no VmHWM for pid ${pid}`)
  return {maxRssMiB: Number(hwm[1]) / 1024, cpuS: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS}
}

/** Reads every node service's usage, stops it, waits for it to go, and removes the runtime dir. */
export async function collectNodes(runtime: string): Promise<ServiceUsage[]> {
  const usage: ServiceUsage[] = []
  for (const pid of nodePids(runtime)) {
    usage.push(procUsage(pid))
    process.kill(pid, 'SIGTERM')
    for (let i = 0; i < 500; i++) {
      try {
        process.kill(pid, 0)
      } catch {
        break
      }
      await Bun.sleep(10)
    }
  }
  rmSync(runtime, {recursive: true, force: true})
  return usage
}
