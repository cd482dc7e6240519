/**
 * The mutation a local sweep scheduler (Go core's `wandb sweep-scheduler` engine, the public
 * API's `Sweep.enqueue_run`) uses to schedule a run: `enqueueSweepRun(input: {id, config,
 * displayName})` → `{id: <run name>, runQueueItemId}`. The run appears in the sweep as `pending`
 * at once; an agent's next heartbeat takes it (sweeps/run-queue.ts).
 */
import {type Ctx, str} from '../context.ts'
import {GqlError} from '../executor.ts'
import {tryParseExtendedJson} from '../../extended-json.ts'
import {fromGqlId, toGqlId} from '../../ids.ts'
import {SweepRunQueue} from '../../sweeps/run-queue.ts'

function enqueueSweepRun(args: {input?: {id?: string; config?: string; displayName?: string | null}}, ctx: Ctx) {
  const input = args.input ?? {}
  const id = fromGqlId(input.id, 'Sweep')
  const sweep = id === null ? null : ctx.store.sweeps.get(id)
  if (!sweep) throw new GqlError(`sweep ${String(input.id)} not found`, 404)
  const config = str(input.config)
  const parsed = config === null ? null : tryParseExtendedJson(config, null)
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new GqlError('enqueueSweepRun: config must be a JSON object')
  const run = new SweepRunQueue(ctx.store).enqueue(sweep, config as string, str(input.displayName))
  ctx.log(`sweep ${sweep.name}: enqueued run ${run.name}`)
  return {__typename: 'EnqueueSweepRunPayload', id: run.name, runQueueItemId: toGqlId('RunQueueItem', run.id)}
}

/** Root fields of this domain. */
export const sweepSchedulerRoot = {
  enqueueSweepRun,
}
