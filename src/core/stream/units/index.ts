/**
 * The dispatch tables: one Unit per record type and per request type of wandb 0.31. The mapped
 * types make them exhaustive, so a new case in the schema fails the typecheck until it has a unit.
 */
import type {Record} from '../../proto.ts'
import type {RecordKind} from '../work.ts'
import {alertUnit, artifactRecordUnit, downloadArtifactUnit, linkArtifactUnit, logArtifactUnit} from './alerts-artifacts.ts'
import {configUnit, environmentUnit, filesUnit, historyUnit, metricUnit, outputLoggerUnit, outputRawUnit, preemptingUnit, statsUnit, summaryUnit, telemetryUnit} from './data-records.ts'
import {jobInfoUnit, jobInputUnit, useArtifactUnit} from './jobs.ts'
import {droppedUnit, exitUnit, headerUnit, runUnit} from './lifecycle-records.ts'
import {
  EMPTY_ANSWER,
  attachUnit,
  getSummaryUnit,
  getSystemMetricsUnit,
  historyStepUnit,
  internalMessagesUnit,
  networkStatusUnit,
  operationsUnit,
  partialHistoryUnit,
  pauseUnit,
  pollExitUnit,
  probeSystemInfoUnit,
  pythonPackagesUnit,
  resumeUnit,
  runStartUnit,
  sampledHistoryUnit,
  stopStatusUnit,
  type RequestKind,
} from './requests.ts'
import {PASS, type Unit} from './unit.ts'

/** Requests are never saved; their units decide whether they go past the handler. */
const REQUEST_UNITS: {[K in RequestKind]: Unit} = {
  stop_status: stopStatusUnit,
  network_status: networkStatusUnit,
  defer: EMPTY_ANSWER,
  get_summary: getSummaryUnit,
  login: EMPTY_ANSWER,
  pause: pauseUnit,
  resume: resumeUnit,
  poll_exit: pollExitUnit,
  sampled_history: sampledHistoryUnit,
  partial_history: partialHistoryUnit,
  history_step: historyStepUnit,
  run_start: runStartUnit,
  check_version: EMPTY_ANSWER,
  log_artifact: logArtifactUnit,
  download_artifact: downloadArtifactUnit,
  keepalive: EMPTY_ANSWER,
  run_status: EMPTY_ANSWER,
  cancel: EMPTY_ANSWER,
  internal_messages: internalMessagesUnit,
  python_packages: pythonPackagesUnit,
  shutdown: EMPTY_ANSWER,
  attach: attachUnit,
  status: EMPTY_ANSWER,
  server_info: EMPTY_ANSWER,
  sender_mark: EMPTY_ANSWER,
  sender_read: EMPTY_ANSWER,
  status_report: EMPTY_ANSWER,
  summary_record: EMPTY_ANSWER,
  telemetry_record: EMPTY_ANSWER,
  job_info: jobInfoUnit,
  get_system_metrics: getSystemMetricsUnit,
  job_input: jobInputUnit,
  link_artifact: linkArtifactUnit,
  sync_finish: EMPTY_ANSWER,
  operations: operationsUnit,
  probe_system_info: probeSystemInfoUnit,
  test_inject: EMPTY_ANSWER,
}

const RECORD_UNITS: {[K in Exclude<RecordKind, 'request'>]: Unit} = {
  history: historyUnit,
  summary: summaryUnit,
  output: PASS,
  config: configUnit,
  files: filesUnit,
  stats: statsUnit,
  artifact: artifactRecordUnit,
  tbrecord: PASS, // its log directory is followed from the scheduling step before the handler (TensorBoardHandler in tensorboard.ts)
  alert: alertUnit,
  telemetry: telemetryUnit,
  metric: metricUnit,
  output_raw: outputRawUnit,
  run: runUnit,
  exit: exitUnit,
  final: droppedUnit,
  header: headerUnit,
  footer: droppedUnit,
  preempting: preemptingUnit,
  noop_link_artifact: droppedUnit,
  use_artifact: useArtifactUnit,
  environment: environmentUnit,
  output_logger: outputLoggerUnit,
}

/** A record with no type set: answered if asked, otherwise ignored. */
const EMPTY_RECORD: Unit = {...EMPTY_ANSWER, persist: false}

/** The unit for a record (for requests, the unit of its request type). */
export function unitFor(record: Record): Unit {
  const t = record.record_type
  if (t.oneofKind === 'request') {
    const kind = t.request.request_type.oneofKind
    return kind === undefined ? EMPTY_ANSWER : REQUEST_UNITS[kind]
  }
  return t.oneofKind === undefined ? EMPTY_RECORD : RECORD_UNITS[t.oneofKind]
}

export type {Unit} from './unit.ts'
