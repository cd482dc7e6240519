import {WandbError} from '../errors.ts'

const PR_SET_PDEATHSIG = 1
const SIGTERM = 15

/**
 * --os-pid-shutdown (Linux): asks the kernel to signal the service when its parent dies
 * (prctl PR_SET_PDEATHSIG). Go asks for SIGKILL, which loses what was not yet written; nexus asks
 * for SIGTERM and handles it as the client's death (write, finish runs within the grace). Then checks the parent is still the expected one. Returns the exit
 * code Go core would use on failure (127 + errno, or 1 if the parent is already gone), or 0.
 * A no-op elsewhere.
 */
export function setParentDeathSignal(expectedParent: number): number {
  if (process.platform !== 'linux') return 0
  let prctl: (option: number, arg: number) => number
  try {
    // bun:ffi is loaded only here; an absolute libc path avoids the cwd fallback of bare names
    const {dlopen, FFIType} = require('bun:ffi') as typeof import('bun:ffi')
    const candidates = ['/lib/x86_64-linux-gnu/libc.so.6', '/lib/aarch64-linux-gnu/libc.so.6', '/lib64/libc.so.6', '/usr/lib/libc.so.6', '/lib/libc.so.6']
    const path = candidates.find((p) => require('node:fs').existsSync(p))
    if (!path) throw new WandbError('service: libc not found')
    const lib = dlopen(path, {prctl: {args: [FFIType.i32, FFIType.u64], returns: FFIType.i32}})
    prctl = (o, a) => lib.symbols.prctl(o, a) as number
  } catch (_err) {
    return 127 + 38 // ENOSYS: the call is not available
  }
  if (prctl(PR_SET_PDEATHSIG, SIGTERM) !== 0) return 127 + 1
  if (process.ppid !== expectedParent) return 1
  return 0
}
