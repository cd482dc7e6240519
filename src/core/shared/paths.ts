import {join} from 'node:path'

/** The node service's socket in the node directory. */
export function nodeSocketPath(dir: string, key: string): string {
  return join(dir, `n-${key}.sock`)
}

/** The lock a stand-in holds while it starts the node service, so that only one starts it. */
export function nodeSpawnLockPath(dir: string, key: string): string {
  return join(dir, `n-${key}.spawn`)
}

/** Whether `s` looks like a node key as nodeKey makes it (16 hex digits): what `--shared-node` accepts. */
export function isNodeKey(s: string): boolean {
  return /^[0-9a-f]{16}$/.test(s)
}
