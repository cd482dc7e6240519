/** Units that talk to the server beyond the run itself: alerts, and the artifact requests. */
import {Response} from '../../proto.ts'
import {payload} from './data-records.ts'
import type {Unit} from './unit.ts'

const NOTIFY_ALERT = `mutation NotifyScriptableRunAlert($entityName: String!, $projectName: String!, $runName: String!, $title: String!, $text: String!, $severity: AlertSeverity = INFO, $waitDuration: Duration) {
  notifyScriptableRunAlert(input: {entityName: $entityName, projectName: $projectName, runName: $runName, title: $title, text: $text, severity: $severity, waitDuration: $waitDuration}) {
    success
  }
}`

/** run.alert(): NotifyScriptableRunAlert, fire and forget (errors are logged), awaited at finish. */
export const alertUnit: Unit = {
  process(work, s) {
    if (!s.graphql) return
    const alert = payload(work.record, 'alert')
    const sent = s.graphql
      .request({
        query: NOTIFY_ALERT,
        operationName: 'NotifyScriptableRunAlert',
        variables: {
          entityName: s.settings.entity, projectName: s.settings.project, runName: s.settings.runId,
          title: alert.title, text: alert.text, severity: alert.level || 'INFO', waitDuration: Number(alert.wait_duration),
        },
      }, {signal: s.runSignal})
      .catch((err: unknown) => s.logger.captureError('sender: alert failed', err))
    s.pending.add(sent)
    void sent.finally(() => s.pending.delete(sent))
  },
}

const NOT_YET = 'nexus: artifact upload and download are not available in this version of nexus'

/** Artifact requests get a clear error answer until the artifact engine lands (never a hang). */
export const logArtifactUnit: Unit = {
  process(work, s) {
    s.printer.warn(NOT_YET)
    s.respond(work, Response.create({response_type: {oneofKind: 'log_artifact_response', log_artifact_response: {artifact_id: '', error_message: NOT_YET}}}))
  },
}

export const downloadArtifactUnit: Unit = {
  process(work, s) {
    s.respond(work, Response.create({response_type: {oneofKind: 'download_artifact_response', download_artifact_response: {error_message: NOT_YET}}}))
  },
}

export const linkArtifactUnit: Unit = {
  process(work, s) {
    s.respond(work, Response.create({response_type: {oneofKind: 'link_artifact_response', link_artifact_response: {error_message: NOT_YET}}}))
  },
}

/** Artifact records (offline runs' log_artifact) are kept in the .wandb file; the sender logs them. */
export const artifactRecordUnit: Unit = {
  process(work, s) {
    s.printer.warn(`${NOT_YET}: artifact ${payload(work.record, 'artifact').name} was not uploaded`)
  },
}
