import {errorMessage} from '../core/errors.ts'
import {ExitCode} from '../core/exit-codes.ts'
import type {Attrs, Logger} from '../core/observability/index.ts'
import {SyncError} from './sync-errors.ts'

/** fs error codes that mean the local disk, not the data or the server, is the problem. */
const LOCAL_IO_CODES: {[code: string]: string} = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
}

/** The first fs errno code of the LOCAL_IO_CODES in `err`'s cause chain. */
export function localIoCode(err: unknown): string | undefined {
  let cur: unknown = err
  for (let i = 0; i < 8 && cur; i++) {
    const code = (cur as {code?: unknown}).code
    if (typeof code === 'string' && code in LOCAL_IO_CODES) return code
    cur = (cur as {cause?: unknown}).cause
  }
  return undefined
}

/** A local file could not be read or written during a sync: exit 8, the run is not marked synced. */
export class LocalIoError extends SyncError {
  override name = 'LocalIoError'
  readonly code: string
  constructor(what: string, err: unknown) {
    const code = localIoCode(err) ?? 'EIO'
    super(
      `sync: ${what}: ${errorMessage(err)}`,
      `Could not ${what}: ${LOCAL_IO_CODES[code] ?? errorMessage(err)} (${code}). Nothing was marked synced; free the space or fix the permissions and run the sync again.`,
      {cause: err, exitCode: ExitCode.LOCAL_FILE},
    )
    this.code = code
  }
}

/**
 * A Logger decorator for the sender of a sync: the sender logs (and carries on after) a local
 * write that failed — config.yaml, wandb-summary.json, output.log on a full disk — so this
 * remembers the first such error, which keeps the run from being marked synced. Failures to add
 * to the artifact cache are not counted (nothing of the run is lost).
 */
export class LocalIoWatch implements Logger {
  readonly #inner: Logger
  readonly #seen: {first?: LocalIoError}

  constructor(inner: Logger, seen: {first?: LocalIoError} = {}) {
    this.#inner = inner
    this.#seen = seen
  }

  /** The first local I/O failure the sender reported, if any. */
  get failure(): LocalIoError | undefined {
    return this.#seen.first
  }

  debug(msg: string, attrs?: Attrs): void {
    this.#inner.debug(msg, attrs)
  }
  info(msg: string, attrs?: Attrs): void {
    this.#inner.info(msg, attrs)
  }
  warn(msg: string, attrs?: Attrs): void {
    this.#inner.warn(msg, attrs)
  }
  error(msg: string, attrs?: Attrs): void {
    this.#inner.error(msg, attrs)
  }
  captureError(msg: string, err: unknown, attrs?: Attrs): void {
    // the artifact cache is an optimisation: a full cache does not lose anything of the run
    if (!this.#seen.first && localIoCode(err) && !/to the cache/.test(msg)) this.#seen.first = new LocalIoError(msg.replace(/^[a-z]+: /, '').replace(/^cannot /, ''), err)
    this.#inner.captureError(msg, err, attrs)
  }
  with(attrs: Attrs): Logger {
    return new LocalIoWatch(this.#inner.with(attrs), this.#seen)
  }
}
