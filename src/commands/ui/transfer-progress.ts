/**
 * Progress of one artifact transfer (`nexus artifact put/get`): on a terminal a live spinner line,
 * elsewhere (a Slurm log, a pipe) a plain line every PLAIN_PROGRESS_EVERY_MS with bytes, rate and
 * ETA, so a batch job's log is never silent. Quiet (--quiet, --json) shows nothing.
 */
import {systemClock, type Clock} from '../../core/runtime/index.ts'
import {PLAIN_PROGRESS_EVERY_MS} from './sync-progress.ts'
import {interactive, spinner} from './terminal.ts'
import {transferFigures} from './transfer-figures.ts'

export interface TransferSnapshot {
  doneBytes: number
  totalBytes: number
}

export class TransferProgressView {
  readonly #label: string
  readonly #print: (line: string) => void
  readonly #quiet: boolean
  readonly #interactive: boolean
  readonly #clock: Clock
  readonly #everyMs: number
  readonly #startedAt: number
  readonly #stopped = new AbortController()
  readonly #spinner
  #last: TransferSnapshot | undefined
  #lastPlain: number

  constructor(o: {label: string; print: (line: string) => void; quiet?: boolean; interactive?: boolean; clock?: Clock; everyMs?: number}) {
    this.#label = o.label
    this.#print = o.print
    this.#quiet = o.quiet ?? false
    this.#interactive = o.interactive ?? interactive()
    this.#clock = o.clock ?? systemClock
    this.#everyMs = o.everyMs ?? PLAIN_PROGRESS_EVERY_MS
    this.#startedAt = this.#clock.now()
    this.#lastPlain = this.#startedAt
    this.#spinner = spinner(`${this.#label}…`)
    if (this.#quiet) return
    if (this.#interactive) this.#spinner.start()
    else void this.#plainLoop()
  }

  update(s: TransferSnapshot): void {
    this.#last = s
    if (this.#quiet) return
    if (this.#interactive) this.#spinner.text = `${this.#label} ${this.#figures()}`
    else if (this.#clock.now() - this.#lastPlain >= this.#everyMs) this.#plain()
  }

  /** Stops the live line or the timer. Idempotent. */
  stop(): void {
    this.#stopped.abort()
    if (this.#spinner.isSpinning) this.#spinner.stop()
  }

  #figures(): string {
    const s = this.#last
    return s && s.totalBytes > 0 ? transferFigures(s.doneBytes, s.totalBytes, (this.#clock.now() - this.#startedAt) / 1000) : 'starting'
  }

  #plain(): void {
    this.#lastPlain = this.#clock.now()
    this.#print(`nexus: ${this.#label} ${this.#figures()}`)
  }

  async #plainLoop(): Promise<void> {
    for (;;) {
      try {
        await this.#clock.sleep(Math.max(1, this.#lastPlain + this.#everyMs - this.#clock.now()), this.#stopped.signal)
      } catch {
        return
      }
      if (this.#clock.now() - this.#lastPlain >= this.#everyMs) this.#plain()
    }
  }
}
