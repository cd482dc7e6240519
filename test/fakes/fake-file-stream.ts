/**
 * A recording FileStream for tests of code that streams run data (the sender): it keeps the
 * start target, every update (copied) and the finish call, and answers with a configurable
 * outcome. `stopped` can be set to exercise the stop button.
 */
import type {Delivery} from '../../src/core/filetransfer/index.ts'
import type {FileStream, FileStreamTarget, FileStreamUpdate} from '../../src/core/filestream/index.ts'

export class FakeFileStream implements FileStream {
  target: FileStreamTarget | undefined
  readonly updates: FileStreamUpdate[] = []
  finishedWith: {exitCode: number | undefined} | undefined
  outcome: Delivery = {status: 'delivered'}
  stopped = false

  start(target: FileStreamTarget): void {
    this.target = structuredClone(target)
  }

  streamUpdate(update: FileStreamUpdate): void {
    if (this.finishedWith) throw new Error('fake file stream: update after finish')
    this.updates.push(structuredClone(update))
  }

  finishWithExit(exitCode: number): Promise<Delivery> {
    this.finishedWith ??= {exitCode}
    return Promise.resolve(this.outcome)
  }

  finishWithoutExit(): Promise<Delivery> {
    this.finishedWith ??= {exitCode: undefined}
    return Promise.resolve(this.outcome)
  }

  /** Recorded updates are delivered at once, so there is nothing to wait for. */
  flush(): Promise<void> {
    return Promise.resolve()
  }

  isStopped(): boolean {
    return this.stopped
  }

  /** All uploaded names reported so far, in order. */
  get uploaded(): string[] {
    return this.updates.flatMap((u) => u.uploaded ?? [])
  }

  /** All history lines streamed so far, in order. */
  get history(): string[] {
    return this.updates.flatMap((u) => u.history ?? [])
  }
}
