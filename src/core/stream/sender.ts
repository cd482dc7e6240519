import {errorMessage} from '../errors.ts'
import type {Logger} from '../observability/index.ts'
import {Response} from '../proto.ts'
import {errorResponse} from '../server/index.ts'
import type {SenderContext} from './contexts.ts'
import {answerWith} from './handler.ts'
import {unitFor} from './units/index.ts'
import type {Work} from './work.ts'

/**
 * Stage 4 (after flow control): each unit's `process` runs one at a time in order — upserting the
 * run, feeding file_stream, scheduling uploads — and the exit unit starts the finish flow in the
 * background. Never rejects; an item without an answer gets an empty Response unless its unit
 * answers later. Resolves when the input ends.
 */
export class Sender {
  readonly #ctx: SenderContext
  readonly #logger: Logger

  constructor(ctx: SenderContext, logger: Logger) {
    this.#ctx = ctx
    this.#logger = logger
  }

  async run(input: AsyncIterable<Work>): Promise<void> {
    for await (const work of input) {
      const unit = unitFor(work.record)
      try {
        await unit.process?.(work, this.#ctx)
        if (work.responder && !work.responder.responded && !unit.answersLater) answerWith(work, Response.create())
      } catch (err) {
        this.#logger.captureError('sender: failed to process work', err, {type: work.record.record_type.oneofKind})
        work.responder?.respond(errorResponse(`nexus: ${errorMessage(err)}`))
      }
    }
  }
}
