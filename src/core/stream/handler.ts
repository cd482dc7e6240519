import {errorMessage} from '../errors.ts'
import type {Logger} from '../observability/index.ts'
import type {Response} from '../proto.ts'
import {errorResponse, resultResponse} from '../server/index.ts'
import type {Channel} from '../runtime/index.ts'
import type {HandlerContext} from './contexts.ts'
import {unitFor} from './units/index.ts'
import type {Work} from './work.ts'

/**
 * Stage 1 of a run's pipeline: each work item's unit `accept`s it in arrival order — answering
 * the SDK's questions (summary, step, operations…) from local state and deriving history, summary
 * and metric records — and what it forwards goes to `output`. Never rejects: a failing item is
 * logged, answered with an error if it has a responder, and skipped. Closes `output` at the end.
 */
export class Handler {
  readonly #ctx: HandlerContext
  readonly #out: Work[]
  readonly #logger: Logger

  /** `forwarded` is the buffer the HandlerContext's forward()/emit() append to. */
  constructor(ctx: HandlerContext, forwarded: Work[], logger: Logger) {
    this.#ctx = ctx
    this.#out = forwarded
    this.#logger = logger
  }

  async run(input: AsyncIterable<Work>, output: Channel<Work>): Promise<void> {
    try {
      for await (const work of input) {
        const unit = unitFor(work.record)
        try {
          if (unit.accept) unit.accept(work, this.#ctx)
          else this.#ctx.forward(work)
        } catch (err) {
          this.#logger.captureError('handler: failed to handle work', err, {type: work.record.record_type.oneofKind})
          work.responder?.respond(errorResponse(`nexus: ${errorMessage(err)}`))
        }
        for (const w of this.#out.splice(0)) await output.send(w)
      }
    } finally {
      output.close()
    }
  }
}

/** Answer `Result{response}` unless already answered (helper for HandlerContext.respond). */
export function answerWith(work: Work, response: Response): void {
  work.responder?.respond(resultResponse(response))
}
