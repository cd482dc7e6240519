import {join} from 'node:path'

/** The node service's socket in the node directory. */
export function nodeSocketPath(dir: string, key: string): string {
  return join(dir, `n-${key}.sock`)
}

/** The lock a stand-in holds while it starts the node service, so that only one starts it. */
export function nodeSpawnLockPath(dir: string, key: string): string {
  return join(dir, `n-${key}.spawn`)
}
