import {describe, expect, test} from 'bun:test'
import {findNvmlLibrary} from '../../src/sysinfo/index.ts'
import {ldconfigNvml} from '../../src/sysinfo/nvml-library.ts'

const LDCONFIG = `1234 libs found in cache \`/etc/ld.so.cache'
\tlibnvidia-ml.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1
\tlibnvidia-ml.so (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libnvidia-ml.so
`

function search(o: {platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv; files?: string[]; ldconfig?: string}) {
  const files = new Set(o.files ?? [])
  let ldconfigRuns = 0
  const s = {
    platform: o.platform ?? 'linux',
    env: o.env ?? {},
    exists: (p: string) => files.has(p),
    ldconfig: () => {
      ldconfigRuns++
      return o.ldconfig
    },
  }
  return {s, runs: () => ldconfigRuns}
}

describe('finding the NVML library', () => {
  test('a known driver directory is used without running ldconfig', () => {
    const {s, runs} = search({files: ['/usr/lib64/libnvidia-ml.so.1']})
    expect(findNvmlLibrary(s)).toBe('/usr/lib64/libnvidia-ml.so.1')
    expect(runs()).toBe(0)
  })

  test('absolute LD_LIBRARY_PATH entries come first; relative ones are ignored', () => {
    const {s} = search({env: {LD_LIBRARY_PATH: 'lib:/opt/nv/lib'}, files: ['/opt/nv/lib/libnvidia-ml.so.1', '/usr/lib64/libnvidia-ml.so.1', 'lib/libnvidia-ml.so.1']})
    expect(findNvmlLibrary(s)).toBe('/opt/nv/lib/libnvidia-ml.so.1')
  })

  test('otherwise the ldconfig cache names it', () => {
    const {s} = search({ldconfig: LDCONFIG.replaceAll('/usr/lib/x86_64-linux-gnu', '/opt/driver'), files: ['/opt/driver/libnvidia-ml.so.1']})
    expect(findNvmlLibrary(s)).toBe('/opt/driver/libnvidia-ml.so.1')
    expect(ldconfigNvml('\tlibnvidia-ml.so.1 (libc6,x86-64) => relative/libnvidia-ml.so.1\n', () => true)).toBeUndefined()
  })

  test('without a driver there is no library, never a bare name to dlopen', () => {
    const {s} = search({ldconfig: 'nothing here\n'})
    expect(findNvmlLibrary(s)).toBeUndefined()
  })

  test('Windows looks in System32, then the NVSMI folder, then NVML_DLL_PATH', () => {
    const env = {WINDIR: 'C:\\Windows', ProgramFiles: 'C:\\Program Files', NVML_DLL_PATH: 'D:\\nv\\nvml.dll'}
    expect(findNvmlLibrary(search({platform: 'win32', env, files: ['C:\\Windows\\System32\\nvml.dll', 'D:\\nv\\nvml.dll']}).s)).toBe('C:\\Windows\\System32\\nvml.dll')
    expect(findNvmlLibrary(search({platform: 'win32', env, files: ['C:\\Program Files\\NVIDIA Corporation\\NVSMI\\nvml.dll']}).s)).toBe('C:\\Program Files\\NVIDIA Corporation\\NVSMI\\nvml.dll')
    expect(findNvmlLibrary(search({platform: 'win32', env, files: ['D:\\nv\\nvml.dll']}).s)).toBe('D:\\nv\\nvml.dll')
    expect(findNvmlLibrary(search({platform: 'win32', env: {NVML_DLL_PATH: 'nvml.dll'}, files: ['nvml.dll']}).s)).toBeUndefined()
  })

  test('macOS has no NVML', () => {
    expect(findNvmlLibrary(search({platform: 'darwin', files: ['/usr/lib/libnvidia-ml.so.1']}).s)).toBeUndefined()
  })
})
