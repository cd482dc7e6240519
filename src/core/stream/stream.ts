import {relative} from 'node:path'
import type {Logger} from '../observability/index.ts'
import type {Record, Settings} from '../proto.ts'
import {Channel} from '../runtime/index.ts'
import {CapturingResponder, errorResponse, type Responder, type RunStream} from '../server/index.ts'
import type {RunSettings} from '../settings/index.ts'
import type {SenderContext} from './contexts.ts'
import type {FlowControl} from './flow-control.ts'
import type {Handler} from './handler.ts'
import type {Sender} from './sender.ts'
import type {Work} from './work.ts'
import type {Writer} from './writer.ts'

/** Head of the pipeline (Go: RunWork, 32): a full head blocks the connection that feeds it. */
const HEAD_CAPACITY = 32
/** Between handler and writer (Go: 32). */
const HANDLER_OUT_CAPACITY = 32

export interface StreamParts {
  id: string
  settings: RunSettings
  logger: Logger
  /** The service's own log (outlives the stream's debug-internal.log). */
  serviceLogger?: Logger
  handler: Handler
  writer: Writer
  /** Between writer and sender: unbounded, offloading saved records to the log while the sender lags. */
  flowControl: FlowControl
  sender: Sender
  senderContext: SenderContext
  /** Aborts the run's outstanding network work (called when the stream closes). */
  abortRun: () => void
  /** Releases files and loggers after every stage ended. */
  release: () => void
  /** Where the footer goes (the service's stdout). */
  print: (line: string) => void
  /** Builds the exit record teardown injects. */
  exitRecord: (exitCode: number) => Record
}

/**
 * One run's pipeline: head channel → Handler → Writer → FlowControl (unbounded, so the handler
 * never waits for the network; saved records beyond its memory budget wait in the .wandb file) →
 * Sender. Closing the head drains every stage in order: the writer closes flow control, which
 * still delivers everything, offloaded records included, before the sender's input ends.
 * Created started.
 */
export class Stream implements RunStream {
  readonly id: string
  readonly #p: StreamParts
  readonly #head = new Channel<Work>(HEAD_CAPACITY)
  readonly #tasks: Promise<void>
  #closing: Promise<void> | undefined
  #finishing: Promise<void> | undefined

  constructor(parts: StreamParts) {
    this.id = parts.id
    this.#p = parts
    const handled = new Channel<Work>(HANDLER_OUT_CAPACITY)
    const stage = (name: string, p: Promise<void>) => p.catch((err) => parts.logger.captureError(`stream: ${name} stage crashed`, err))
    this.#tasks = Promise.all([
      stage('handler', parts.handler.run(this.#head, handled)),
      stage('writer', parts.writer.run(handled, parts.flowControl)),
      stage('sender', parts.sender.run(parts.flowControl)),
    ]).then(() => undefined)
  }

  get settings(): Settings {
    return this.#p.settings.proto
  }

  /** The run's settings with the server's names (entity, project, display name) once known. */
  get runSettings(): RunSettings {
    return this.#p.settings
  }

  async handle(record: Record, responder?: Responder): Promise<void> {
    const queued = await this.#head.send({record, responder})
    if (!queued) responder?.respond(errorResponse(`run ${this.id} is finished`))
  }

  /** Adds work at the head without blocking (monitor samples, probe results). Dropped after close. */
  inject(record: Record): void {
    void this.#head.send({record})
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      const log = this.#p.serviceLogger ?? this.#p.logger
      log.info('stream: closing', {id: this.id})
      this.#head.close()
      await this.#tasks
      log.info('stream: stages drained', {id: this.id})
      if (this.#p.senderContext.exitReceived) await this.#p.senderContext.finished.promise
      this.#p.abortRun()
      this.#p.release()
      log.info('stream: closed', {id: this.id})
    })()
    return this.#closing
  }

  finishAndClose(exitCode: number): Promise<void> {
    this.#finishing ??= (async () => {
      if (!this.#head.closed) {
        const responder = new CapturingResponder()
        await this.handle(this.#p.exitRecord(exitCode), responder)
        await responder.answer
      }
      await this.close()
      if (!this.#p.settings.silent) for (const line of this.footer()) this.#p.print(line)
    })()
    return this.#finishing
  }

  flushLog(): void {
    this.#p.writer.flush()
  }

  /** Exit flow's outcomes, once the run finished (used by sync). */
  get deliveries() {
    return this.#p.senderContext.finished.promise
  }

  /** The lines Go core prints on the service's stdout after a teardown finished the run. */
  footer(): string[] {
    const s = this.#p.settings
    const lines = ['wandb: ']
    if (s.offline) {
      lines.push('wandb: You can sync this run to the cloud by running:', `wandb: wandb sync ${s.syncDir}`)
    } else {
      const url = runUrl(s)
      if (url) lines.push(`wandb: 🚀 View run ${s.displayName} at: ${url}`)
    }
    if (s.logDir) lines.push(`wandb: Find logs at: ${relative(process.cwd(), s.logDir) || s.logDir}`)
    return lines
  }
}

/** `{app_url}/{entity}/{project}/runs/{id}`, or undefined while the run's path is unknown. */
export function runUrl(s: RunSettings): string | undefined {
  if (!s.entity || !s.project || !s.runId) return undefined
  const app = s.appUrl || s.baseUrl
  return `${app}/${encodeURIComponent(s.entity)}/${encodeURIComponent(s.project)}/runs/${encodeURIComponent(s.runId)}`
}
