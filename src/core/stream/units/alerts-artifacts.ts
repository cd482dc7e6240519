/** Units that talk to the server beyond the run itself: alerts, and the artifact records and requests. */
import {retryTransferFailures} from '../../api/index.ts'
import {errorMessage} from '../../errors.ts'
import {DELIVERED, failedDelivery, type Delivery} from '../../filetransfer/index.ts'
import {Request, Response} from '../../proto.ts'
import type {SenderContext} from '../contexts.ts'
import type {Work} from '../work.ts'
import {payload} from './data-records.ts'
import type {Unit} from './unit.ts'

const NOTIFY_ALERT = `mutation NotifyScriptableRunAlert($entityName: String!, $projectName: String!, $runName: String!, $title: String!, $text: String!, $severity: AlertSeverity = INFO, $waitDuration: Duration) {
  notifyScriptableRunAlert(input: {entityName: $entityName, projectName: $projectName, runName: $runName, title: $title, text: $text, severity: $severity, waitDuration: $waitDuration}) {
    success
  }
}`

/** Keeps `p` in s.pending until it settles, so that the exit flow waits for it (Go artifactWG). */
function track(s: SenderContext, p: Promise<unknown>): void {
  s.pending.add(p)
  void p.finally(() => s.pending.delete(p))
}

/** An artifact save: tracked, and its outcome kept for the exit flow (a failed save is run data not delivered). */
function trackSave(s: SenderContext, p: Promise<Delivery>): void {
  track(
    s,
    p.then((outcome) => {
      s.backgroundOutcomes.push(outcome)
      return outcome
    }),
  )
}

/** The Delivery of a failed artifact operation: what its s.pending entry resolves to (else DELIVERED). */
const failed = (err: unknown): Delivery => failedDelivery(err, retryTransferFailures)

/** run.alert(): NotifyScriptableRunAlert, fire and forget (errors are logged), awaited at finish. */
export const alertUnit: Unit = {
  process(work, s) {
    if (!s.graphql) return
    const alert = payload(work.record, 'alert')
    track(
      s,
      s.graphql
        .request(
          {
            query: NOTIFY_ALERT,
            operationName: 'NotifyScriptableRunAlert',
            variables: {
              entityName: s.settings.entity,
              projectName: s.settings.project,
              runName: s.settings.runId,
              title: alert.title,
              text: alert.text,
              severity: alert.level || 'INFO',
              waitDuration: Number(alert.wait_duration),
            },
          },
          {signal: s.runSignal},
        )
        .catch((err: unknown) => s.logger.captureError('sender: alert failed', err)),
    )
  },
}

type RequestKind = NonNullable<Request['request_type']['oneofKind']>

function request<K extends RequestKind>(work: Work, kind: K): Extract<Request['request_type'], {oneofKind: K}> {
  const r = work.record.record_type
  if (r.oneofKind !== 'request' || r.request.request_type.oneofKind !== kind) throw new Error(`unit: expected a ${kind} request`)
  return r.request.request_type as Extract<Request['request_type'], {oneofKind: K}>
}

const answer = (work: Work, s: SenderContext, response: Response['response_type']) => s.respond(work, Response.create({response_type: response}))

/** Offline runs (and streams without a server) cannot reach the artifact API. */
const OFFLINE = 'Artifacts cannot be uploaded, linked or downloaded in offline mode.'

/**
 * log_artifact (online `run.log_artifact`): the save runs in the background under an "uploading
 * artifact <name>" operation (current for the save, so its GraphQL retries show on it); the answer `{artifact_id, error_message}` comes when it ends, and the
 * exit flow waits for it. Reaches the sender offline too, to be answered with an error.
 */
export const logArtifactUnit: Unit = {
  offline: true,
  answersLater: true,
  process(work, s) {
    const req = request(work, 'log_artifact').log_artifact
    const reply = (artifact_id: string, error_message: string) => answer(work, s, {oneofKind: 'log_artifact_response', log_artifact_response: {artifact_id, error_message}})
    if (!s.artifacts || !req.artifact) return reply('', s.artifacts ? 'nexus: log_artifact request without an artifact' : OFFLINE)
    const {artifacts} = s
    const artifact = req.artifact
    const op = s.operations.start(`uploading artifact ${artifact.name}`)
    trackSave(
      s,
      op
        .run(() => artifacts.save(artifact, {historyStep: req.history_step, stagingDir: req.staging_dir, operation: op}))
        .then(
          (id) => {
            op.finish()
            s.jobs?.artifactLogged(artifact.type, artifact.name, id)
            reply(id, '')
            return DELIVERED
          },
          (err: unknown) => {
            op.finish()
            s.logger.captureError('sender: failed to log artifact', err)
            s.jobs?.artifactLogged(artifact.type, artifact.name, '')
            reply('', errorMessage(err))
            return failed(err)
          },
        ),
    )
  },
}

/**
 * An artifact record: what an offline run's log_artifact leaves in the .wandb file (saved there,
 * not sent while offline), saved when the run is synced; failures are logged (nobody waits).
 * Like every artifact unit, its entry in s.pending resolves to the save's Delivery outcome.
 */
export const artifactRecordUnit: Unit = {
  process(work, s) {
    const artifact = payload(work.record, 'artifact')
    if (!s.artifacts) return
    const {artifacts} = s
    const op = s.operations.start(`uploading artifact ${artifact.name}`)
    trackSave(
      s,
      op
        .run(() => artifacts.save(artifact, {operation: op}))
        .then(
          () => {
            op.finish()
            return DELIVERED
          },
          (err: unknown) => {
            op.finish()
            s.logger.captureError('sender: failed to log artifact', err, {artifact: artifact.name})
            return failed(err)
          },
        ),
    )
  },
}

/** link_artifact: LinkArtifact in the background; answers `{error_message, version_index?}`. */
export const linkArtifactUnit: Unit = {
  offline: true,
  answersLater: true,
  process(work, s) {
    const req = request(work, 'link_artifact').link_artifact
    const reply = (error_message: string, version_index?: number) =>
      answer(work, s, {oneofKind: 'link_artifact_response', link_artifact_response: {error_message, ...(version_index === undefined ? {} : {version_index})}})
    if (!s.artifacts) return reply(OFFLINE)
    track(
      s,
      s.artifacts.link(req).then(
        (index) => {
          reply('', index)
          return DELIVERED
        },
        (err: unknown) => {
          s.logger.captureError('sender: linkArtifact failed', err)
          reply(errorMessage(err))
          return failed(err)
        },
      ),
    )
  },
}

/** download_artifact (not sent by the 0.31 SDK, which downloads itself): the core downloader. */
export const downloadArtifactUnit: Unit = {
  offline: true,
  answersLater: true,
  process(work, s) {
    const req = request(work, 'download_artifact').download_artifact
    const reply = (error_message: string) => answer(work, s, {oneofKind: 'download_artifact_response', download_artifact_response: {error_message}})
    if (!s.artifacts) return reply('Artifact downloads are not supported in offline mode.')
    // Go core shows no operation for this request (the 0.31 SDK downloads artifacts itself).
    track(
      s,
      s.artifacts.download(req).then(
        () => {
          reply('')
          return DELIVERED
        },
        (err: unknown) => {
          s.logger.captureError('sender: failed to download artifact', err)
          reply(errorMessage(err))
          return failed(err)
        },
      ),
    )
  },
}
