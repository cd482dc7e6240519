import type {FileStream, FileStreamTarget, FileStreamUpdate} from '../core/filestream/index.ts'
import type {Delivery} from '../core/filetransfer/index.ts'

/**
 * A file_stream that, while `catchingUp`, holds back the data the server already has from an
 * interrupted sync — history, system metrics, summary and console lines are counted and dropped —
 * and passes everything through afterwards. The counts tell where file_stream must continue.
 * Uploaded-file notices always pass.
 */
export class CatchUpFileStream implements FileStream {
  readonly #inner: FileStream
  catchingUp: boolean
  historyLines = 0
  eventLines = 0

  readonly #onUploaded: ((paths: string[]) => void) | undefined

  /** `onUploaded` hears every uploaded-file notice (the sync cursor remembers them). */
  constructor(inner: FileStream, catchingUp: boolean, onUploaded?: (paths: string[]) => void) {
    this.#inner = inner
    this.catchingUp = catchingUp
    this.#onUploaded = onUploaded
  }

  start(target: FileStreamTarget): void {
    this.#inner.start(target)
  }

  streamUpdate(update: FileStreamUpdate): void {
    if (update.uploaded?.length) this.#onUploaded?.(update.uploaded)
    if (!this.catchingUp) {
      this.#inner.streamUpdate(update)
      return
    }
    this.historyLines += update.history?.length ?? 0
    this.eventLines += update.events?.length ?? 0
    if (update.uploaded && update.uploaded.length > 0) this.#inner.streamUpdate({uploaded: update.uploaded})
  }

  finishWithExit(exitCode: number): Promise<Delivery> {
    return this.#inner.finishWithExit(exitCode)
  }

  finishWithoutExit(): Promise<Delivery> {
    return this.#inner.finishWithoutExit()
  }

  isStopped(): boolean {
    return this.#inner.isStopped()
  }

  flush(): Promise<void> {
    return this.#inner.flush()
  }
}
