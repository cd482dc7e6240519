import {closeSync, mkdirSync, openSync, writeSync} from 'node:fs'
import {dirname} from 'node:path'
import {errorMessage} from '../errors.ts'

/** slog-compatible levels: the service's --log-level takes these numbers (-4 debug … 8 error). */
export const LogLevel = {DEBUG: -4, INFO: 0, WARN: 4, ERROR: 8} as const

export type Attrs = Record<string, unknown>

/**
 * Developer logs (debug-core.log, debug-internal.log): never shown to users, never holding secrets.
 * Methods never throw. `captureError` logs an error with its cause chain and is what stage loops
 * call for a failed item before carrying on.
 */
export interface Logger {
  debug(msg: string, attrs?: Attrs): void
  info(msg: string, attrs?: Attrs): void
  warn(msg: string, attrs?: Attrs): void
  error(msg: string, attrs?: Attrs): void
  captureError(msg: string, err: unknown, attrs?: Attrs): void
  /** A logger that adds `attrs` to every line. */
  with(attrs: Attrs): Logger
}

const SECRET_KEYS = /api[_-]?key|authorization|password|token|secret/i

/** Replaces values of secret-looking keys, and long key-like strings in messages. */
function redact(attrs: Attrs): Attrs {
  const out: Attrs = {}
  for (const [k, v] of Object.entries(attrs)) {
    if (SECRET_KEYS.test(k) && typeof v === 'string' && v !== '') out[k] = '<redacted>'
    else if (v instanceof Error) out[k] = errorChain(v)
    else if (typeof v === 'bigint') out[k] = v.toString()
    else out[k] = v
  }
  return out
}

function errorChain(err: unknown): string {
  const parts: string[] = []
  let cur: unknown = err
  for (let i = 0; i < 8 && cur !== undefined; i++) {
    parts.push(errorMessage(cur))
    cur = cur instanceof Error ? cur.cause : undefined
  }
  return parts.join(': caused by: ')
}

/** Writes JSON lines like Go's slog JSON handler to a sink function. */
export class JsonLogger implements Logger {
  readonly #write: (line: string) => void
  readonly #level: number
  readonly #attrs: Attrs

  constructor(write: (line: string) => void, level: number = LogLevel.INFO, attrs: Attrs = {}) {
    this.#write = write
    this.#level = level
    this.#attrs = attrs
  }

  debug(msg: string, attrs?: Attrs): void {
    this.#log(LogLevel.DEBUG, 'DEBUG', msg, attrs)
  }
  info(msg: string, attrs?: Attrs): void {
    this.#log(LogLevel.INFO, 'INFO', msg, attrs)
  }
  warn(msg: string, attrs?: Attrs): void {
    this.#log(LogLevel.WARN, 'WARN', msg, attrs)
  }
  error(msg: string, attrs?: Attrs): void {
    this.#log(LogLevel.ERROR, 'ERROR', msg, attrs)
  }
  captureError(msg: string, err: unknown, attrs?: Attrs): void {
    this.#log(LogLevel.ERROR, 'ERROR', msg, {...attrs, error: errorChain(err)})
  }
  with(attrs: Attrs): Logger {
    return new JsonLogger(this.#write, this.#level, {...this.#attrs, ...attrs})
  }

  #log(level: number, name: string, msg: string, attrs?: Attrs): void {
    if (level < this.#level) return
    try {
      const line = JSON.stringify({time: new Date().toISOString(), level: name, msg, ...redact({...this.#attrs, ...attrs})})
      this.#write(line + '\n')
    } catch {
      // logging must never take the service down
    }
  }
}

/** A logger that drops everything. */
export const nullLogger: Logger = new JsonLogger(() => {}, Number.POSITIVE_INFINITY)

/**
 * Appends JSON lines to a file (created with its directory). Writes are synchronous so the last
 * lines before a crash are on disk. close() is idempotent; logging after close is dropped.
 */
export class FileLogSink {
  readonly path: string
  #fd: number | undefined

  constructor(path: string) {
    this.path = path
    mkdirSync(dirname(path), {recursive: true})
    this.#fd = openSync(path, 'a', 0o644)
  }

  readonly write = (line: string): void => {
    if (this.#fd === undefined) return
    try {
      writeSync(this.#fd, line)
    } catch {
      // disk full or closed: drop the line
    }
  }

  close(): void {
    if (this.#fd === undefined) return
    closeSync(this.#fd)
    this.#fd = undefined
  }
}
