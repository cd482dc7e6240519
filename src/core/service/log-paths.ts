import {homedir} from 'node:os'
import {join} from 'node:path'

/** The user cache directory as Go's os.UserCacheDir() finds it. */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches')
  if (process.platform === 'win32') return env.LocalAppData ?? env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local')
  return env.XDG_CACHE_HOME || join(homedir(), '.cache')
}

/** `$WANDB_CACHE_DIR/wandb/logs` or `<user cache>/wandb/logs`, where core-debug logs live. */
export function coreLogDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.WANDB_CACHE_DIR || userCacheDir(env), 'wandb', 'logs')
}

/** `core-debug-YYYYMMDD_HHMMSS.log` (local time), the service's own debug log. */
export function coreLogName(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `core-debug-${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}_${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}.log`
}
