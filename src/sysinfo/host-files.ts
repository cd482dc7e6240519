import {readFileSync, readdirSync} from 'node:fs'

/**
 * Reads host files (/proc, /sys) under a root, so tests can point the Linux resources at a fake
 * tree. The real host is root "". Reads never throw: a missing or unreadable file is undefined.
 */
export class HostFiles {
  readonly root: string
  constructor(root = '') {
    this.root = root.replace(/\/+$/, '')
  }

  /** Absolute path of a host path under the root. */
  path(hostPath: string): string {
    return this.root + hostPath
  }

  /** The file's text, or undefined when it cannot be read. */
  read(hostPath: string): string | undefined {
    try {
      return readFileSync(this.root + hostPath, 'utf8')
    } catch {
      return undefined
    }
  }

  /** The entries of a directory, or [] when it cannot be listed. */
  list(hostPath: string): string[] {
    try {
      return readdirSync(this.root + hostPath)
    } catch {
      return []
    }
  }
}
