import type {Record, Settings} from '../proto.ts'
import type {Responder} from './responder.ts'

/**
 * What the server needs from one run's pipeline. Implemented by stream/Stream; tests use fakes.
 */
export interface RunStream {
  readonly id: string
  readonly settings: Settings
  /**
   * Queues a record (with the responder when the SDK waits for an answer). Resolves when queued:
   * it waits while the run's input is full, which is how backpressure reaches the client.
   */
  handle(record: Record, responder?: Responder): Promise<void>
  /** inform_finish: closes the input and waits until every stage has drained. Idempotent. */
  close(): Promise<void>
  /**
   * Teardown / idle shutdown: finishes the run as if the SDK had sent exit{exitCode} (if it had not
   * already), waits for uploads, closes the stream, and prints the run's footer. Idempotent.
   */
  finishAndClose(exitCode: number): Promise<void>
  /** Writes every record that reached the run's writer to its .wandb file now (synchronous). */
  flushLog(): void
}

/** Builds and starts a stream for a run (inform_init). Throws to refuse the run. */
export type StreamFactory = (settings: Settings, streamId: string) => RunStream
