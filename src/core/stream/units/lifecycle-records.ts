/** Units for the records that start, describe and end a run: header, run, exit, and the dropped ones. */
import {Record, Response, RunExitResult, RunRecord, RunUpdateResult} from '../../proto.ts'
import {resultOf} from '../../server/index.ts'
import {MIN_SERVER_VERSION, NEXUS_VERSION, WANDB_PROTOCOL_VERSION} from '../../version.ts'
import {finishRun} from '../finish-run.ts'
import type {Work} from '../work.ts'
import {payload} from './data-records.ts'
import type {Unit} from './unit.ts'

/** The header: stamped with the producer version, as Go core does; saved first in the .wandb file. */
export const headerUnit: Unit = {
  accept(work, h) {
    const header = payload(work.record, 'header')
    header.version_info = {producer: `${WANDB_PROTOCOL_VERSION}+nexus-${NEXUS_VERSION}`, min_consumer: MIN_SERVER_VERSION}
    h.forward(work)
  },
}

/** final, footer, noop_link_artifact: accepted and forgotten (Go deletes them). */
export const droppedUnit: Unit = {
  accept(work, h) {
    if (work.responder) h.respond(work, Response.create())
  },
  persist: false,
}

/**
 * The run record. The first one initialises the run on the server (UpsertBucket) and answers
 * run_result with the server's view of the run; later ones are debounced updates. Offline runs
 * initialise locally. The handler never sees it (Go: RunUpdateWork).
 */
export const runUnit: Unit = {
  offline: true,
  answersLater: true,
  async process(work, s) {
    const record = payload(work.record, 'run')
    if (s.run.initialized) {
      s.run.update(record)
      if (work.responder) s.respond(work, Response.create())
      return
    }
    let result: RunUpdateResult
    try {
      const run = await s.run.init(record, work.responder?.signal ?? s.runSignal)
      s.settings.updateRun({entity: run.entity, project: run.project, displayName: run.display_name})
      result = RunUpdateResult.create({run})
    } catch (err) {
      result = RunUpdateResult.create({error: errorInfo(err)})
      s.logger.captureError('sender: run init failed', err)
    }
    work.responder?.respond(resultOf({oneofKind: 'run_result', run_result: result}))
  },
}

function errorInfo(err: unknown) {
  const e = err as {errorInfo?: {message: string; code: number}}
  if (e?.errorInfo) return e.errorInfo
  return {message: `Error initializing run: ${(err as Error)?.message ?? String(err)}`, code: 0}
}

/**
 * The exit record. Handler: stop the run timer, set exit.runtime, emit the final runtime summary
 * and flush pending history, stop the monitor (Go handleExit); it reaches the sender offline too. Sender:
 * start the finish flow in the background (uploads, file_stream completion) and answer
 * exit_result when it is done; a second exit is refused.
 */
export const exitUnit: Unit = {
  offline: true,
  answersLater: true,
  accept(work, h) {
    if (h.exitSeen) {
      work.responder?.respond(resultOf({oneofKind: 'exit_result', exit_result: RunExitResult.create()}))
      return
    }
    h.exitSeen = true
    const exit = payload(work.record, 'exit')
    h.timer.stop()
    exit.runtime = Math.trunc(h.timer.elapsedSeconds())
    void h.monitor?.finish()
    const {records, errors} = h.history.finish()
    for (const e of errors) h.logger.warn('handler: bad history value skipped', {error: e.message})
    for (const record of records) h.emit(record)
    h.forward(work)
  },
  process(work: Work, s) {
    if (s.exitReceived) {
      s.logger.warn('sender: exit received more than once, ignoring')
      work.responder?.respond(resultOf({oneofKind: 'exit_result', exit_result: RunExitResult.create()}))
      return
    }
    s.exitReceived = true
    const exit = payload(work.record, 'exit')
    void finishRun(s, exit, work.responder).then((outcomes) => s.finished.resolve(outcomes))
  },
}

/** A RunRecord copy for run_start's handler-side bookkeeping. */
export function cloneRun(run: RunRecord): RunRecord {
  return RunRecord.fromBinary(RunRecord.toBinary(run))
}

export {Record}
