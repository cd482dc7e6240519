import {basename} from 'node:path'
import {systemClock, type Clock} from '../../core/runtime/index.ts'
import type {ReplayProgress, ReplayResult, SyncTarget} from '../../sync/index.ts'
import {chalk, interactive, spinner} from './terminal.ts'
import {transferFigures} from './transfer-figures.ts'

/** Off a terminal (a batch job's log), a progress line per run in flight this often (4 s: within 5 s even when the event loop is busy). */
export const PLAIN_PROGRESS_EVERY_MS = 4000

function runName(target: SyncTarget): string {
  return basename(target.runDir)
}

function describe(result: ReplayResult): string {
  const what = `${result.steps} steps, ${result.filesUploaded} files`
  switch (result.status) {
    case 'synced':
      return `synced (${what})`
    case 'partial':
      return `partially synced (${what}; ${result.undelivered.length} upload(s) not delivered)`
    case 'damaged':
      return `synced what was intact (${what}; ${result.damage.reduce((s, d) => s + d.bytes, 0) + (result.truncated?.bytes ?? 0)} damaged bytes)`
    case 'failed':
      return `failed: ${result.error?.userText ?? 'unknown error'}`
    case 'interrupted':
      return `interrupted (${result.steps} steps read; the next sync continues from the last checkpoint)`
    case 'busy':
      return result.error?.userText ?? 'being synced by another process, skipped'
  }
}

/**
 * What `nexus sync` shows while it works: on a terminal one live line (ora) with the runs in
 * flight, bytes, rate and ETA, and a persisted line per finished run; elsewhere (Slurm logs,
 * pipes) plain lines: started, retries, the same progress figures every PLAIN_PROGRESS_EVERY_MS,
 * and the outcome. `--json` shows nothing here (the command prints one JSON summary at the end).
 */
export class SyncProgressView {
  readonly #total: number
  readonly #quiet: boolean
  readonly #interactive: boolean
  readonly #clock: Clock
  readonly #live = new Map<SyncTarget, {progress?: ReplayProgress; startedAt: number}>()
  readonly #spinner = spinner('Syncing…')
  readonly #stopped = new AbortController()
  readonly #plainEveryMs: number
  #lastPlain: number
  #done = 0
  readonly #print: (line: string) => void

  constructor(o: {total: number; json: boolean; print: (line: string) => void; interactive?: boolean; clock?: Clock; plainEveryMs?: number}) {
    this.#total = o.total
    this.#quiet = o.json
    this.#print = o.print
    this.#interactive = o.interactive ?? interactive()
    this.#clock = o.clock ?? systemClock
    this.#plainEveryMs = o.plainEveryMs ?? PLAIN_PROGRESS_EVERY_MS
    this.#lastPlain = this.#clock.now()
    if (this.#quiet) return
    if (this.#interactive) this.#spinner.start()
    else void this.#plainProgress()
  }

  started(target: SyncTarget): void {
    this.#live.set(target, {startedAt: this.#clock.now()})
    if (!this.#quiet && !this.#interactive) this.#print(`nexus: started ${runName(target)}`)
    this.#render()
  }

  /** A line about a run in flight (a retry, a wait): persisted above the live line, or printed. */
  notice(target: SyncTarget, line: string): void {
    if (this.#quiet) return
    const text = `${runName(target)}: ${line}`
    if (this.#interactive) {
      const spinning = this.#spinner.isSpinning
      this.#spinner.stopAndPersist({symbol: chalk.yellow('…'), text})
      if (spinning) this.#spinner.start()
      this.#render()
    } else {
      this.#print(`nexus: ${text}`)
    }
  }

  progress(target: SyncTarget, p: ReplayProgress): void {
    const entry = this.#live.get(target)
    if (entry) entry.progress = p
    // a busy sync delays timers: a progress report that finds a line due prints it
    if (!this.#quiet && !this.#interactive && this.#clock.now() - this.#lastPlain >= this.#plainEveryMs) this.#printPlain()
    this.#render()
  }

  done(target: SyncTarget, result: ReplayResult): void {
    this.#live.delete(target)
    this.#done++
    if (this.#quiet) return
    const line = `[${this.#done}/${this.#total}] ${runName(target)}: ${describe(result)}${result.url ? ` → ${result.url}` : ''}`
    const ok = result.status === 'synced'
    if (this.#interactive) {
      this.#spinner.stopAndPersist({symbol: ok ? chalk.green('✔') : chalk.yellow('✖'), text: line})
      if (this.#live.size > 0 || this.#done < this.#total) this.#spinner.start()
    } else {
      this.#print(`nexus: ${line}`)
    }
    this.#render()
  }

  /** Stops the live line. Idempotent. */
  stop(): void {
    this.#stopped.abort()
    if (this.#spinner.isSpinning) this.#spinner.stop()
  }

  #render(): void {
    if (this.#quiet || !this.#interactive) return
    const parts = [...this.#live.entries()].slice(0, 3).map(([t, e]) => this.#figures(t, e))
    this.#spinner.text = `Syncing ${this.#done}/${this.#total} · ${parts.join(' · ') || 'finishing'}`
  }

  /** "<run> uploading 42% 33.1/79.0 MB 12.3 MB/s ETA 4s" */
  #figures(t: SyncTarget, e: {progress?: ReplayProgress; startedAt: number}): string {
    const p = e.progress
    if (!p || p.totalBytes === 0) return `${runName(t)} starting`
    return `${runName(t)} ${p.phase} ${transferFigures(p.bytesRead, p.totalBytes, (this.#clock.now() - e.startedAt) / 1000)}`
  }

  /** Off a terminal: the live figures of every run in flight, every #plainEveryMs, until stop(). */
  async #plainProgress(): Promise<void> {
    for (;;) {
      const due = this.#lastPlain + this.#plainEveryMs - this.#clock.now()
      try {
        await this.#clock.sleep(Math.max(1, due), this.#stopped.signal)
      } catch {
        return
      }
      if (this.#clock.now() - this.#lastPlain >= this.#plainEveryMs) this.#printPlain()
    }
  }

  #printPlain(): void {
    this.#lastPlain = this.#clock.now()
    for (const [t, e] of this.#live) this.#print(`nexus: [${this.#done}/${this.#total}] ${this.#figures(t, e)}`)
  }
}

/** The final table: run, status, steps, files, URL (plain text, aligned). */
export function resultsTable(results: ReplayResult[]): string[] {
  const rows = results.map((r) => [basename(r.file).replace(/\.wandb$/, ''), r.status, String(r.steps), String(r.filesUploaded), r.url ?? '-'])
  const header = ['run', 'status', 'steps', 'files', 'url']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')
  return [fmt(header), ...rows.map(fmt)]
}
