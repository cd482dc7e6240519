/**
 * Units for the requests inside records (Record.request): what the SDK asks a run.
 * Most are answered by the handler, in message order and without waiting for the network.
 */
import {
  AttachResponse,
  GetSummaryResponse,
  HistoryStepResponse,
  InternalMessages,
  InternalMessagesResponse,
  NetworkStatusResponse,
  PollExitResponse,
  Record,
  Request,
  Response,
  SampledHistoryResponse,
  StopStatusResponse,
  SystemMetricsBuffer,
} from '../../proto.ts'
import {errorResponse} from '../../server/index.ts'
import {saveGitPatches, saveProgramCode} from '../code-save.ts'
import type {Work} from '../work.ts'
import {cloneRun} from './lifecycle-records.ts'
import type {Unit} from './unit.ts'

export type RequestKind = NonNullable<Request['request_type']['oneofKind']>

function req<K extends RequestKind>(work: Work, kind: K): Extract<Request['request_type'], {oneofKind: K}> {
  const r = work.record.record_type
  if (r.oneofKind !== 'request' || r.request.request_type.oneofKind !== kind) throw new Error(`unit: expected a ${kind} request`)
  return r.request.request_type as Extract<Request['request_type'], {oneofKind: K}>
}

const answer = (response: Response['response_type']) => Response.create({response_type: response})

/** Answered in the handler with an empty Response (the SDK reads default values). */
export const EMPTY_ANSWER: Unit = {
  accept(work, h) {
    if (work.responder) h.respond(work, Response.create())
  },
}

export const partialHistoryUnit: Unit = {
  accept(work, h) {
    const {records, warnings, errors} = h.history.handlePartialHistory(req(work, 'partial_history').partial_history)
    for (const w of warnings) h.printer.warn(w)
    for (const e of errors) h.logger.warn('handler: bad history value skipped', {error: e.message})
    for (const r of records) h.emit(r)
  },
}

export const historyStepUnit: Unit = {
  accept(work, h) {
    if (h.settings.shared) {
      work.responder?.respond(errorResponse('Cannot read the W&B step in shared mode.'))
      return
    }
    h.respond(work, answer({oneofKind: 'history_step_response', history_step_response: HistoryStepResponse.create({step: h.history.historyStep()})}))
  },
}

export const getSummaryUnit: Unit = {
  accept(work, h) {
    h.respond(work, answer({oneofKind: 'get_summary_response', get_summary_response: GetSummaryResponse.create({item: h.history.getSummaryItems()})}))
  },
}

export const sampledHistoryUnit: Unit = {
  accept(work, h) {
    h.respond(work, answer({oneofKind: 'sampled_history_response', sampled_history_response: SampledHistoryResponse.create({item: h.history.sampledHistory()})}))
  },
}

export const operationsUnit: Unit = {
  accept(work, h) {
    h.respond(work, answer({oneofKind: 'operations_response', operations_response: {operation_stats: h.operations.stats()}}))
  },
}

export const pollExitUnit: Unit = {
  accept(work, h) {
    const counts = h.uploads.fileCounts()
    const bytes = h.uploads.bytes()
    h.respond(
      work,
      answer({
        oneofKind: 'poll_exit_response',
        poll_exit_response: PollExitResponse.create({
          done: h.uploads.done,
          pusher_stats: {uploaded_bytes: BigInt(bytes.uploaded), total_bytes: BigInt(bytes.total), deduped_bytes: 0n},
          file_counts: {wandb_count: counts.wandb, media_count: counts.media, artifact_count: counts.artifact, other_count: counts.other},
          operation_stats: h.operations.stats(),
        }),
      }),
    )
  },
}

/**
 * run_start: the run timer starts (offset by a resumed run's runtime), the step counter is seeded,
 * the system monitor starts; answered at once, then passed to the sender to start file_stream.
 */
export const runStartUnit: Unit = {
  accept(work, h) {
    const run = req(work, 'run_start').run_start.run
    if (run) {
      h.runRecord = cloneRun(run)
      h.timer.reset(run.runtime)
      h.history.onRunStart(run.starting_step)
    }
    h.timer.start()
    h.monitor?.start()
    if (work.responder) h.respond(work, Response.create())
    h.forward({record: work.record})
    const s = h.settings
    if (s.saveCode && !s.disableMachineInfo && s.primary) {
      const code = saveProgramCode(s, h.logger)
      if (code) h.emit(code)
      if (!s.disableGit) void saveGitPatches(s, h.logger).then((patches) => patches && h.inject(patches))
    }
  },
  process(_work, s) {
    s.fileStream?.start({entity: s.settings.entity, project: s.settings.project, runId: s.settings.runId, offsets: s.run.fileStreamOffsets})
  },
}

export const pauseUnit: Unit = {
  accept(work, h) {
    h.timer.stop()
    h.monitor?.pause()
    if (work.responder) h.respond(work, Response.create())
  },
}

export const resumeUnit: Unit = {
  accept(work, h) {
    h.timer.start()
    h.monitor?.resume()
    if (work.responder) h.respond(work, Response.create())
  },
}

/** Online: the sender knows whether the server asked the run to stop; offline: empty answer. */
export const stopStatusUnit: Unit = {
  accept(work, h) {
    if (h.settings.offline) {
      if (work.responder) h.respond(work, Response.create())
      return
    }
    h.forward(work)
  },
  process(work, s) {
    s.respond(work, answer({oneofKind: 'stop_status_response', stop_status_response: StopStatusResponse.create({run_should_stop: s.fileStream?.isStopped() ?? false})}))
  },
}

/**
 * network_status: answered only when there are failed HTTP responses to report (as Go); otherwise
 * the SDK cancels it after 5 s (its documented behaviour), so nothing else is sent.
 */
export const networkStatusUnit: Unit = {
  answersLater: true,
  process(work, s) {
    const pending = s.peeker?.drain() ?? []
    if (pending.length > 0) {
      s.respond(
        work,
        answer({
          oneofKind: 'network_status_response',
          network_status_response: NetworkStatusResponse.create({network_responses: pending.map((p) => ({http_status_code: p.status, http_response_text: p.text}))}),
        }),
      )
    }
  },
}

/** internal_messages: warnings for the user's terminal; with wait=true a long poll, empty when the run is over. */
export const internalMessagesUnit: Unit = {
  accept(work, h) {
    const wait = req(work, 'internal_messages').internal_messages.wait
    const reply = (warning: string[]) =>
      h.respond(work, answer({oneofKind: 'internal_messages_response', internal_messages_response: InternalMessagesResponse.create({messages: InternalMessages.create({warning})})}))
    if (!wait || !work.responder) {
      reply(h.printer.take())
      return
    }
    void h.printer.waitAndTake(work.responder.signal).then(reply)
  },
}

export const attachUnit: Unit = {
  accept(work, h) {
    h.respond(work, answer({oneofKind: 'attach_response', attach_response: AttachResponse.create({run: h.runRecord})}))
  },
}

/** python_packages: requirements.txt in the files dir, uploaded like any wandb file (primary writer). */
export const pythonPackagesUnit: Unit = {
  accept(work, h) {
    if (work.responder) h.respond(work, Response.create())
    if (!h.settings.primary) return
    const packages = req(work, 'python_packages').python_packages.package
    try {
      h.writeRunFile('requirements.txt', packages.map((p) => `${p.name}==${p.version}\n`).join(''))
    } catch (err) {
      h.logger.captureError('handler: cannot write requirements.txt', err)
      return
    }
    h.emit(Record.create({record_type: {oneofKind: 'files', files: {files: [{path: 'requirements.txt', policy: 0, type: 1}]}}}))
  },
}

/** probe_system_info: the monitor describes the machine; the environment records enter the pipeline later. */
export const probeSystemInfoUnit: Unit = {
  accept(work, h) {
    if (work.responder) h.respond(work, Response.create())
    if (!h.monitor || h.settings.disableMeta || h.settings.disableMachineInfo || !h.settings.primary) return
    void h.monitor.probe().then(
      (records) => {
        for (const environment of records) h.inject(Record.create({record_type: {oneofKind: 'environment', environment}}))
      },
      (err) => h.logger.captureError('handler: system probe failed', err),
    )
  },
}

export const getSystemMetricsUnit: Unit = {
  accept(work, h) {
    const system_metrics: {[key: string]: SystemMetricsBuffer} = {}
    for (const [key, samples] of h.monitor?.buffered() ?? []) system_metrics[key] = {record: samples}
    h.respond(work, answer({oneofKind: 'get_system_metrics_response', get_system_metrics_response: {system_metrics}}))
  },
}
