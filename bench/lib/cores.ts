/**
 * How the benchmark runs the two services under the real wandb 0.31.0 SDK.
 *
 * Each core gets a wandb package overlay (first on PYTHONPATH): every entry links to the real
 * package except bin/wandb-core, which is a small shell script that execs the chosen binary
 * (Go's bundled wandb-core, or our compiled nexus) under GNU time, so the service's peak RSS and
 * CPU seconds are recorded when it exits (the SDK waits for the service at teardown). Both cores
 * pay the same wrapper cost (one exec of /usr/bin/time, about a millisecond). The service then
 * watches the time process instead of Python, which lives exactly as long as the service.
 */
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {hostBinary} from '../../test/helpers/binary.ts'
import {goCorePath, requirePython, sitePackages} from '../../test/helpers/python.ts'

export type Core = 'go' | 'nexus'
export const CORES: readonly Core[] = ['go', 'nexus']

export const TIME_BIN = '/usr/bin/time'

/** The service binary of a core. */
export function coreBinary(core: Core): string {
  return core === 'go' ? goCorePath() : hostBinary()
}

/** Resource use of one service process, from GNU time. */
export interface ServiceUsage {
  maxRssMiB: number
  cpuS: number
}

export class CoreOverlays {
  readonly root = mkdtempSync(join(tmpdir(), 'nexus-bench-'))
  private readonly dirs = new Map<Core, string>()

  constructor() {
    if (!existsSync(TIME_BIN)) throw new Error(`${TIME_BIN} is missing (apt-get install time; scripts/setup.sh does it)`)
    const real = join(sitePackages(), 'wandb')
    for (const core of CORES) {
      const dir = join(this.root, `overlay-${core}`)
      const pkg = join(dir, 'wandb')
      mkdirSync(join(pkg, 'bin'), {recursive: true})
      for (const entry of readdirSync(real)) if (entry !== 'bin') symlinkSync(join(real, entry), join(pkg, entry))
      for (const entry of readdirSync(join(real, 'bin'))) if (entry !== 'wandb-core') symlinkSync(join(real, 'bin', entry), join(pkg, 'bin', entry))
      const wrapper = join(pkg, 'bin', 'wandb-core')
      // One JSON line per service process into $NEXUS_BENCH_USAGE (when set).
      writeFileSync(
        wrapper,
        [
          '#!/bin/sh',
          'if [ -n "$NEXUS_BENCH_USAGE" ]; then',
          // Go wandb-core exits when its parent is not the --pid process; under time the parent is
          // this script's pid (time is exec'd in its place), so --pid names it instead.
          '  prev=',
          '  for a do shift; if [ "$prev" = --pid ]; then set -- "$@" "$$"; else set -- "$@" "$a"; fi; prev=$a; done',
          `  exec ${TIME_BIN} -a -o "$NEXUS_BENCH_USAGE" -f '{"maxrss_kb":%M,"user_s":%U,"sys_s":%S}' '${coreBinary(core)}' "$@"`,
          'fi',
          `exec '${coreBinary(core)}' "$@"`,
          '',
        ].join('\n'),
      )
      chmodSync(wrapper, 0o755)
      this.dirs.set(core, dir)
    }
  }

  /** The PYTHONPATH entry for a core. */
  overlay(core: Core): string {
    return this.dirs.get(core)!
  }

  close(): void {
    rmSync(this.root, {recursive: true, force: true})
  }
}

/** Reads the usage lines GNU time appended; one per service process that ran. */
export function readUsage(file: string): ServiceUsage[] {
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      const u = JSON.parse(l) as {maxrss_kb: number; user_s: number; sys_s: number}
      return {maxRssMiB: u.maxrss_kb / 1024, cpuS: u.user_s + u.sys_s}
    })
}

export const PYTHON = () => requirePython()
