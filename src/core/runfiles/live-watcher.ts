import {statSync} from 'node:fs'
import type {Logger} from '../observability/index.ts'
import type {Clock} from '../runtime/index.ts'

/**
 * Polls the files of `live` policy every `periodMs` (on the Clock; Go core polls every 500 ms)
 * and calls `onChange(runPath)` when a file's modification time or size changed, or a missing
 * file appeared. The first look at a file only records its state. One loop serves all files;
 * stop() ends it (idempotent); watch() after stop() is ignored.
 */
export class LiveWatcher {
  readonly #clock: Clock
  readonly #periodMs: number
  readonly #onChange: (runPath: string) => void
  readonly #logger: Logger
  readonly #files = new Map<string, {realPath: string; state: string}>()
  readonly #stop = new AbortController()
  #running = false

  constructor(clock: Clock, periodMs: number, onChange: (runPath: string) => void, logger: Logger) {
    this.#clock = clock
    this.#periodMs = periodMs
    this.#onChange = onChange
    this.#logger = logger
  }

  /** Starts watching `realPath` under the name `runPath` (a second call for the same name is ignored). */
  watch(runPath: string, realPath: string): void {
    if (this.#stop.signal.aborted || this.#files.has(runPath)) return
    this.#files.set(runPath, {realPath, state: fileState(realPath)})
    if (!this.#running) {
      this.#running = true
      void this.#loop()
    }
  }

  /** Stops polling. */
  stop(): void {
    this.#stop.abort()
  }

  async #loop(): Promise<void> {
    for (;;) {
      try {
        await this.#clock.sleep(this.#periodMs, this.#stop.signal)
      } catch {
        return
      }
      for (const [runPath, f] of this.#files) {
        const state = fileState(f.realPath)
        if (state === f.state) continue
        f.state = state
        if (state === 'missing') continue
        this.#logger.debug('runfiles: live file changed', {path: runPath})
        try {
          this.#onChange(runPath)
        } catch (err) {
          this.#logger.captureError('runfiles: live file callback failed', err, {path: runPath})
        }
      }
    }
  }
}

function fileState(path: string): string {
  try {
    const st = statSync(path, {throwIfNoEntry: false})
    return st ? `${st.mtimeMs}:${st.size}` : 'missing'
  } catch {
    return 'missing'
  }
}
