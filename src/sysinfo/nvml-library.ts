import {existsSync} from 'node:fs'
import {isAbsolute, join} from 'node:path'

/** Where driver installs and container runtimes put libnvidia-ml.so.1 (checked before asking ldconfig). */
const LINUX_DIRS = [
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/usr/lib64',
  '/usr/lib',
  '/lib/x86_64-linux-gnu',
  '/lib64',
  '/usr/local/nvidia/lib64',
  '/usr/local/nvidia/lib',
  '/usr/lib/wsl/lib',
]

export interface NvmlSearch {
  platform: NodeJS.Platform
  env: NodeJS.ProcessEnv
  exists: (path: string) => boolean
  /** Output of `ldconfig -p`, or undefined when it cannot be run. Called only if no known path exists. */
  ldconfig: () => string | undefined
}

/**
 * The absolute path of the NVML library, or undefined when there is none. Never returns a bare
 * name: dlopen of a bare name falls back to the current directory, which would load a stray
 * library from the user's working directory.
 *
 * Linux: LD_LIBRARY_PATH entries and known driver directories, then `ldconfig -p`. Windows:
 * System32 (DCH drivers), the NVSMI folder of older drivers, then NVML_DLL_PATH. macOS: none.
 */
export function findNvmlLibrary(s: NvmlSearch = hostSearch()): string | undefined {
  if (s.platform === 'win32') {
    const windir = s.env.WINDIR ?? s.env.SystemRoot ?? 'C:\\Windows'
    const programFiles = s.env.ProgramFiles ?? 'C:\\Program Files'
    const candidates = [`${windir}\\System32\\nvml.dll`, `${programFiles}\\NVIDIA Corporation\\NVSMI\\nvml.dll`, s.env.NVML_DLL_PATH]
    return candidates.find((p): p is string => !!p && /^[A-Za-z]:[\\/]/.test(p) && s.exists(p))
  }
  if (s.platform !== 'linux') return undefined
  const dirs = [...(s.env.LD_LIBRARY_PATH ?? '').split(':').filter((d) => isAbsolute(d)), ...LINUX_DIRS]
  for (const dir of dirs) {
    const p = join(dir, 'libnvidia-ml.so.1')
    if (s.exists(p)) return p
  }
  return ldconfigNvml(s.ldconfig() ?? '', s.exists)
}

/** The first existing absolute libnvidia-ml.so.1 in `ldconfig -p` output ("\tlibnvidia-ml.so.1 (libc6,x86-64) => /path"). */
export function ldconfigNvml(output: string, exists: (p: string) => boolean): string | undefined {
  for (const line of output.split('\n')) {
    const m = /^\s*libnvidia-ml\.so\.1\s.*=>\s*(\S+)\s*$/.exec(line)
    if (m && isAbsolute(m[1]) && exists(m[1])) return m[1]
  }
  return undefined
}

function hostSearch(): NvmlSearch {
  return {
    platform: process.platform,
    env: process.env,
    exists: existsSync,
    ldconfig: () => {
      const bin = ['/sbin/ldconfig', '/usr/sbin/ldconfig', '/sbin/ldconfig.real'].find(existsSync)
      if (!bin) return undefined
      try {
        const r = Bun.spawnSync([bin, '-p'], {stdout: 'pipe', stderr: 'ignore'})
        return r.exitCode === 0 ? r.stdout.toString() : undefined
      } catch {
        return undefined
      }
    },
  }
}
