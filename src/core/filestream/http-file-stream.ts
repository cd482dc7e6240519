import type {HttpClient} from '../api/index.ts'
import {errorMessage} from '../errors.ts'
import {DELIVERED, failedDelivery, type Delivery} from '../filetransfer/index.ts'
import {nullLogger, type Logger} from '../observability/index.ts'
import {withOperation} from '../operations/index.ts'
import {systemClock, type Clock} from '../runtime/index.ts'
import {FATAL_ERROR_TEXT, FileStreamFatalError, FileStreamNotStartedError} from './errors.ts'
import type {FileStream, FileStreamRequestBody, FileStreamTarget, FileStreamUpdate} from './file-stream.ts'
import {resolveTuning, type FileStreamOptions, type Printer, type ResolvedTuning} from './options.ts'
import {PendingData, utf8Bytes} from './pending-data.ts'
import {ResponseRateLimiter} from './rate-limiter.ts'
import {RequestState, describeBody} from './request-state.ts'
import {uploadDescription} from './upload-description.ts'

const WARN_EVERY_MS = 60_000

/**
 * The file_stream client (Go core's filestream package, as one loop).
 *
 * One loop sends requests strictly one at a time. Updates merge into pending data meanwhile, so
 * everything that arrives during a request goes out together in the next one. A request waits for
 * the transmit interval (a token bucket of one: the first goes at once) unless the data is at the
 * size limit, carries `preempting`, or the stream is finishing. When nothing was sent for the
 * heartbeat period, `{}` goes out. Retries (FILE_STREAM_POLICY: about 7 days) happen inside the
 * HTTP stack; when they run out, or the server refuses a request, the stream dies: it prints
 * FATAL_ERROR_TEXT once, drops pending and later data, and its outcome is `rejected` or `abandoned`.
 * See FileStream for the contract of each method.
 */
export class HttpFileStream implements FileStream {
  readonly #http: HttpClient
  readonly #opts: FileStreamOptions
  readonly #tuning: ResolvedTuning
  readonly #clock: Clock
  readonly #logger: Logger
  readonly #printer: Printer | undefined
  readonly #limiter: ResponseRateLimiter
  readonly #pending = new PendingData()
  readonly #state: RequestState
  readonly #lastWarned = new Map<string, number>()
  #url: string | undefined
  #loop: Promise<void> | undefined
  #finish: Promise<Delivery> | undefined
  #dead: Delivery | undefined
  #stopped = false
  #dropped = 0
  #lastSendAt = 0
  #reservedAt: number | undefined
  #nextTokenAt = Number.NEGATIVE_INFINITY
  #wake: AbortController | undefined
  /** The loop sleeps with nothing pending: new data wakes it (its transmit slot starts then). */
  #idle = false
  /** The latest summary given as a function, serialized when the next request is built. */
  #summarySource: (() => string) | undefined

  #queuedSeq = 0
  #ackedSeq = 0
  #flushWaiters: Array<{target: number; resolve: () => void}> = []
  /** Set once the transmit loop ended after finish: a later abort changes nothing. */
  #completed = false

  constructor(opts: FileStreamOptions) {
    this.#http = opts.http
    this.#opts = opts
    this.#tuning = resolveTuning(opts)
    this.#clock = opts.clock ?? systemClock
    this.#logger = opts.logger ?? nullLogger
    this.#printer = opts.printer
    this.#limiter = opts.rateLimiter ?? new ResponseRateLimiter(this.#clock)
    this.#state = new RequestState(this.#tuning.maxRequestBytes)
    const cancelled = () => {
      if (!this.#completed) this.#die(opts.signal?.reason ?? new Error('filestream: cancelled'))
    }
    if (opts.signal?.aborted) cancelled()
    else opts.signal?.addEventListener('abort', cancelled, {once: true})
  }

  start(target: FileStreamTarget): void {
    if (this.#loop || this.#finish) {
      this.#logger.warn('filestream: start ignored', {reason: this.#loop ? 'already started' : 'already finished'})
      return
    }
    const seg = encodeURIComponent
    this.#url = this.#http.url(`files/${seg(target.entity)}/${seg(target.project)}/${seg(target.runId)}/file_stream`)
    this.#state.setOffsets(target.offsets ?? {})
    this.#logger.debug('filestream: start', {offsets: target.offsets ?? {}})
    this.#loop = this.#run()
  }

  streamUpdate(update: FileStreamUpdate): void {
    if (this.#finish) {
      this.#logger.warn('filestream: update after finish dropped')
      return
    }
    if (this.#dead) {
      this.#dropped++
      return
    }
    const limit = this.#tuning.maxLineBytes
    const history = update.history?.filter((line) => this.#fitsLine(line, limit, 'history', 'run.log() data'))
    const events = update.events?.filter((line) => this.#fitsLine(line, limit, 'system metrics', undefined))
    this.#queuedSeq++
    this.#pending.merge({...update, history, events})
    if (typeof update.summary === 'function') this.#summarySource = update.summary
    else if (update.summary !== undefined) {
      this.#summarySource = undefined
      this.#takeSummary(update.summary)
    }
    // A loop waiting for its transmit slot needs no wake-up for more data, only for urgency
    // (history and events alone filling a request: cheap to check on every update, unlike the
    // console lines, which the loop counts when it looks).
    if (this.#idle || update.preempting || this.#pending.historyBytes + this.#pending.eventsBytes >= this.#tuning.maxRequestBytes) this.#wake?.abort()
  }

  #takeSummary(line: string): void {
    if (this.#fitsLine(line, this.#tuning.maxSummaryBytes, 'summary', 'summary data')) {
      this.#pending.summary = line === this.#state.lastSummary ? undefined : line
    }
  }

  /** Evaluates a lazily given summary (once per request built). */
  #materializeSummary(): void {
    const source = this.#summarySource
    if (!source) return
    this.#summarySource = undefined
    try {
      this.#takeSummary(source())
    } catch (err) {
      this.#logger.error('filestream: summary could not be serialized', {error: errorMessage(err)})
    }
  }

  finishWithExit(exitCode: number): Promise<Delivery> {
    if (!this.#finish && !this.#dead) {
      this.#pending.complete = true
      this.#pending.exitCode = exitCode
    }
    return this.finishWithoutExit()
  }

  finishWithoutExit(): Promise<Delivery> {
    if (this.#finish) return this.#finish
    this.#finish = (async (): Promise<Delivery> => {
      if (!this.#loop) {
        this.#pending.clear()
        return {status: 'abandoned', error: new FileStreamNotStartedError('filestream: finished before it was started; nothing was sent')}
      }
      await this.#loop
      this.#completed = true
      if (this.#dropped > 0) this.#logger.warn('filestream: updates dropped after a fatal error', {count: this.#dropped})
      this.#logger.debug('filestream: finished', {outcome: this.#dead?.status ?? 'delivered'})
      return this.#dead ?? DELIVERED
    })()
    this.#wake?.abort()
    return this.#finish
  }

  isStopped(): boolean {
    return this.#stopped
  }

  async #run(): Promise<void> {
    this.#lastSendAt = this.#clock.now()
    const closing = () => this.#finish !== undefined
    while (!this.#dead) {
      const now = this.#clock.now()
      const heartbeatDue = this.#lastSendAt + this.#tuning.heartbeatPeriodMs
      this.#materializeSummary()
      if (this.#pending.isEmpty) {
        // nothing in flight and nothing pending: every update so far was sent (or merged away)
        this.#ackedSeq = this.#queuedSeq
        this.#settleFlushes()
        if (closing()) return
        if (now >= heartbeatDue) await this.#send({})
        else {
          this.#idle = true
          await this.#sleepUntil(heartbeatDue)
          this.#idle = false
        }
        continue
      }
      const urgent = closing() || this.#pending.preempting || this.#flushWaiters.length > 0 || this.#state.isAtSizeLimit(this.#pending)
      if (!urgent) {
        this.#reservedAt ??= this.#reserveTransmit(now)
        if (now < this.#reservedAt) {
          if (now >= heartbeatDue) await this.#send({})
          else await this.#sleepUntil(Math.min(this.#reservedAt, heartbeatDue))
          continue
        }
      }
      this.#reservedAt = undefined
      const body = this.#state.pop(this.#pending).body
      // Everything queued so far is in this request unless it had to be split by size.
      const covers = this.#pending.isEmpty ? this.#queuedSeq : undefined
      await this.#send(body)
      if (covers !== undefined && !this.#dead) this.#ackedSeq = Math.max(this.#ackedSeq, covers)
      this.#settleFlushes()
    }
    this.#settleFlushes()
  }

  /**
   * Resolves once everything given to streamUpdate before this call was accepted by the server
   * (sending at once, without waiting for the transmit interval), or the stream died or finished.
   * Used by `nexus sync` to checkpoint its progress. Resolves at once when nothing is pending.
   */
  flush(): Promise<void> {
    const target = this.#queuedSeq
    if (this.#ackedSeq >= target || this.#dead || !this.#loop) return Promise.resolve()
    return new Promise<void>((resolve) => {
      this.#flushWaiters.push({target, resolve})
      this.#wake?.abort()
    })
  }

  #settleFlushes(): void {
    const done = this.#dead !== undefined || this.#finish !== undefined
    this.#flushWaiters = this.#flushWaiters.filter((w) => {
      if (done || this.#ackedSeq >= w.target) {
        w.resolve()
        return false
      }
      return true
    })
  }

  /** Takes the transmit token: the time this batch may go (now for the first one). */
  #reserveTransmit(now: number): number {
    const at = Math.max(now, this.#nextTokenAt)
    this.#nextTokenAt = at + this.#tuning.transmitIntervalMs
    return at
  }

  /** Sleeps on the clock until `at`, or until an update, finish or abort wakes the loop. */
  async #sleepUntil(at: number): Promise<void> {
    const wake = new AbortController()
    this.#wake = wake
    try {
      await this.#clock.sleep(at - this.#clock.now(), wake.signal)
    } catch {
      // woken early: the loop looks at the new state
    } finally {
      if (this.#wake === wake) this.#wake = undefined
    }
  }

  async #send(body: FileStreamRequestBody): Promise<void> {
    this.#lastSendAt = this.#clock.now()
    const heartbeat = Object.keys(body).length === 0
    if (heartbeat) this.#logger.debug('filestream: heartbeat')
    else this.#logger.info('filestream: sending request', describeBody(body))
    try {
      await this.#limiter.wait(this.#opts.signal)
      const op = this.#opts.operations?.start(uploadDescription(body))
      try {
        const res = await withOperation(op, () =>
          this.#http.send({
            method: 'POST',
            url: this.#url!,
            headers: {'content-type': 'application/json', ...this.#opts.headers},
            body: JSON.stringify(body),
            policy: this.#tuning.policy,
            signal: this.#opts.signal,
          }),
        )
        this.#limiter.observe(res.headers)
        this.#readResponse(await res.text().catch((err) => `<unreadable body: ${errorMessage(err)}>`))
      } finally {
        op?.finish()
      }
    } catch (err) {
      this.#die(err)
    }
  }

  #readResponse(text: string): void {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (err) {
      this.#logger.warn('filestream: response is not JSON', {error: errorMessage(err), body: text.slice(0, 200)})
      return
    }
    if (parsed !== null && typeof parsed === 'object' && (parsed as {stopped?: unknown}).stopped === true && !this.#stopped) {
      this.#logger.info('filestream: the server asked the run to stop')
      this.#stopped = true
    }
  }

  #die(err: unknown): void {
    if (this.#dead) return
    const error = new FileStreamFatalError(`filestream: fatal error: ${errorMessage(err)}`, {cause: err})
    this.#dead = {status: failedDelivery(err, this.#tuning.policy.retryStatus).status, error}
    this.#pending.clear()
    this.#logger.captureError('filestream: fatal error, no more data will be sent', err, {outcome: this.#dead.status})
    this.#printer?.error(FATAL_ERROR_TEXT)
    if (this.#opts.stopOnFatalError) this.#stopped = true
    try {
      this.#opts.onFatal?.(error)
    } catch (cbErr) {
      this.#logger.captureError('filestream: onFatal callback threw', cbErr)
    }
    this.#wake?.abort()
  }

  /** Whether a line is within `limit` bytes; if not, logs and (at most once a minute) tells the user. */
  #fitsLine(line: string, limit: number, what: string, userWhat: string | undefined): boolean {
    const size = utf8Bytes(line)
    if (size <= limit) return true
    this.#logger.warn(`filestream: ${what} line too long, skipping`, {len: size, max: limit})
    const now = this.#clock.now()
    const last = this.#lastWarned.get(what)
    if (userWhat && this.#printer && (last === undefined || now - last >= WARN_EVERY_MS)) {
      this.#lastWarned.set(what, now)
      this.#printer.warn(`Skipped uploading ${userWhat} that exceeded size limit (${size} > ${limit} bytes).`)
    }
    return false
  }
}
