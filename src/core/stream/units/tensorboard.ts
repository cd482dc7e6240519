/**
 * TensorBoard sync in a run's pipeline. Go core handles tbrecord and exit records at "Schedule",
 * before its handler (tensorboard/tbwork.go, stream/runexitwork.go), as if the integration ran in
 * the client: a tbrecord starts following its log directory, and an exit waits until every
 * directory has been read to the end, so that all TensorBoard rows come before the exit.
 *
 * TensorBoardHandler is the Handler stage with that scheduling step in front of it: its input is
 * the run's head merged with the TensorBoard sync's records (history rows as flushed
 * partial_history requests, media and tfevents `files` records, chart `config` records), which
 * thus go through the same units as the client's records. The tbrecord itself then takes the
 * PASS unit (persisted; no handler or sender work), as Go's TBWork.
 */
import type {Logger} from '../../observability/index.ts'
import type {Record} from '../../proto.ts'
import {Channel, type Clock} from '../../runtime/index.ts'
import {TensorBoardSync} from '../../tensorboard/index.ts'
import type {HandlerContext} from '../contexts.ts'
import {Handler} from '../handler.ts'
import type {Work} from '../work.ts'

/** Items between the scheduling step and the handler (as the head: Go's RunWork buffer, 32). */
const SCHEDULED_CAPACITY = 32

/** The Handler stage, with Go's Schedule-time TensorBoard work before it (see the module comment). */
export class TensorBoardHandler extends Handler {
  readonly #logger: Logger
  readonly #scheduled = new Channel<Work>(SCHEDULED_CAPACITY)
  /** The run's TensorBoard sync (exposed for tests and diagnostics). */
  readonly tensorboard: TensorBoardSync

  /** `forwarded` is the buffer the HandlerContext's forward()/emit() append to; `clock` paces the polling. */
  constructor(ctx: HandlerContext, forwarded: Work[], logger: Logger, clock?: Clock) {
    super(ctx, forwarded, logger)
    this.#logger = logger
    this.tensorboard = new TensorBoardSync({
      settings: ctx.settings,
      logger,
      clock,
      emit: (record) => this.#emit(record),
    })
  }

  /**
   * Runs the handler over `input` merged with the TensorBoard records. A tbrecord starts its
   * directory when it is scheduled; an exit is scheduled only after the sync finished (when it
   * follows any directory). When `input` ends the sync is finished too, then the handler drains.
   */
  override async run(input: AsyncIterable<Work>, output: Channel<Work>): Promise<void> {
    const scheduling = this.#schedule(input)
    try {
      await super.run(this.#scheduled, output)
    } finally {
      await scheduling
    }
  }

  async #schedule(input: AsyncIterable<Work>): Promise<void> {
    try {
      for await (const work of input) {
        const t = work.record.record_type
        if (t.oneofKind === 'tbrecord') this.tensorboard.handle(t.tbrecord)
        else if (t.oneofKind === 'exit' && this.tensorboard.active) await this.tensorboard.finish()
        await this.#scheduled.send(work)
      }
      await this.tensorboard.finish()
    } catch (err) {
      this.#logger.captureError('handler: scheduling failed', err)
    } finally {
      this.#scheduled.close()
    }
  }

  async #emit(record: Record): Promise<void> {
    if (!(await this.#scheduled.send({record}))) {
      this.#logger.warn('tensorboard: record dropped, the run is closed', {type: record.record_type.oneofKind})
    }
  }
}
