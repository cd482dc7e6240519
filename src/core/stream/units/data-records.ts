/**
 * Units for the run-data records: history, summary, config, metric, telemetry, stats, files,
 * console output, preempting, environment.
 */
import type {Record} from '../../proto.ts'
import {eventsLineFromStats} from '../../filestream/index.ts'
import {historyRecordToJsonLine} from '../../runstate/index.ts'
import {writeAndUpload} from '../write-run-file.ts'
import type {Unit} from './unit.ts'

type Of<K extends NonNullable<Record['record_type']['oneofKind']>> = Extract<Record['record_type'], {oneofKind: K}> extends infer C ? (C extends {[P in K]: infer V} ? V : never) : never

function payload<K extends NonNullable<Record['record_type']['oneofKind']>>(record: Record, kind: K): Of<K> {
  const t = record.record_type
  if (t.oneofKind !== kind) throw new Error(`unit: expected a ${kind} record, got ${t.oneofKind}`)
  return (t as unknown as {[P in K]: Of<K>})[kind]
}

/** History rows are derived by the handler (from partial_history) or replayed; they go to file_stream. */
export const historyUnit: Unit = {
  process(work, s) {
    if (!s.fileStream) return
    s.fileStream.streamUpdate({history: [historyRecordToJsonLine(payload(work.record, 'history'))]})
  },
}

/** Explicit summary changes: applied to both the handler's and the sender's summary. */
export const summaryUnit: Unit = {
  accept(work, h) {
    h.history.handleSummaryRecord(payload(work.record, 'summary'))
    h.forward(work)
  },
  process(work, s) {
    s.summary.apply(payload(work.record, 'summary'))
    s.fileStream?.streamUpdate({summary: s.summary.serialize})
  },
}

export const configUnit: Unit = {
  process(work, s) {
    s.run.updateConfig(payload(work.record, 'config'))
  },
}

export const metricUnit: Unit = {
  accept(work, h) {
    h.history.handleMetricRecord(payload(work.record, 'metric'))
    h.forward(work)
  },
  process(work, s) {
    s.run.updateMetric(payload(work.record, 'metric'))
  },
}

export const telemetryUnit: Unit = {
  process(work, s) {
    s.run.updateTelemetry(payload(work.record, 'telemetry'))
  },
}

/** System metrics: always_send, so they reach the sender offline too (which has no file_stream then). */
export const statsUnit: Unit = {
  offline: true,
  process(work, s) {
    if (!s.fileStream) return
    const line = eventsLineFromStats(payload(work.record, 'stats'), s.run.startTimeMs, {logger: s.logger})
    if (line) s.fileStream.streamUpdate({events: [line]})
  },
}

export const filesUnit: Unit = {
  process(work, s) {
    s.runFiles?.process(payload(work.record, 'files'))
  },
}

/** Console output is processed offline too: Go 0.31 writes files/output.log for offline runs. */
export const outputRawUnit: Unit = {
  offline: true,
  process(work, s) {
    s.console?.handleOutputRaw(payload(work.record, 'output_raw'))
  },
}

export const outputLoggerUnit: Unit = {
  offline: true,
  process(work, s) {
    s.console?.handleOutputLogger(payload(work.record, 'output_logger'))
  },
}

export const preemptingUnit: Unit = {
  process(_work, s) {
    s.fileStream?.streamUpdate({preempting: true})
  },
}

/** Machine description: goes into config _wandb.e and files/wandb-metadata.json (primary writer only). */
export const environmentUnit: Unit = {
  process(work, s) {
    s.run.updateEnvironment(payload(work.record, 'environment'))
    if (s.offline || !s.settings.primary) return
    const json = s.run.environmentJson()
    if (json === undefined) return
    writeAndUpload(s, 'wandb-metadata.json', json)
  },
}

export {payload}
