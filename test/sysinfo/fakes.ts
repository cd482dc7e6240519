/**
 * Test doubles for the sysinfo tests: scripted resources, a recording logger and a
 * fake /proc + /sys tree on disk.
 */
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import type {EnvironmentRecord} from '../../src/core/proto.ts'
import type {Metrics, Resource} from '../../src/sysinfo/index.ts'

/** A resource that returns scripted samples and records how it was used. */
export class ScriptedResource implements Resource {
  readonly name: string
  samples = 0
  closed = 0
  concurrent = 0
  maxConcurrent = 0
  /** When set, sample() waits for this promise before answering. */
  gate: Promise<void> | undefined
  constructor(
    name: string,
    readonly values: (n: number) => Metrics | Error = (n) => new Map([['x', n]]),
    readonly info: Partial<EnvironmentRecord> = {},
  ) {
    this.name = name
  }
  async sample(): Promise<Metrics> {
    this.concurrent++
    this.maxConcurrent = Math.max(this.maxConcurrent, this.concurrent)
    try {
      if (this.gate) await this.gate
      const v = this.values(++this.samples)
      if (v instanceof Error) throw v
      return v
    } finally {
      this.concurrent--
    }
  }
  async probe(): Promise<Partial<EnvironmentRecord>> {
    return this.info
  }
  close(): void {
    this.closed++
  }
}

export {RecordingLogger} from '../fakes/recording-logger.ts'

/** A directory standing in for the host root: write('/proc/meminfo', text). Remove with dispose(). */
export class FakeHost {
  readonly root = mkdtempSync(join(tmpdir(), 'sysinfo-host-'))
  write(hostPath: string, text: string): this {
    const p = join(this.root, hostPath)
    mkdirSync(dirname(p), {recursive: true})
    writeFileSync(p, text)
    return this
  }
  dispose(): void {
    rmSync(this.root, {recursive: true, force: true})
  }
}

/** /proc/<pid>/stat text with the given counters (comm holds spaces and a parenthesis on purpose). */
export function statLine(o: {pid: number; ppid?: number; utime: number; stime: number; threads: number; start?: number}): string {
  const f = ['S', o.ppid ?? 1, 0, 0, 0, -1, 4194304, 0, 0, 0, 0, o.utime, o.stime, 0, 0, 20, 0, o.threads, 0, o.start ?? 1000, 0]
  return `${o.pid} (my (odd) prog) ${f.join(' ')}\n`
}

/** Real NVIDIA H200 outputs (nvidia-smi CSV/XML, NVML readings under load), copied from the device probe. */
export const FIXTURES = join(import.meta.dir, 'fixtures', 'gpu')
