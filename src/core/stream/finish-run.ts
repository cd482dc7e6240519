import type {RunExitRecord} from '../proto.ts'
import {RunExitResult} from '../proto.ts'
import type {Responder} from '../server/index.ts'
import {resultOf} from '../server/index.ts'
import type {SenderContext} from './contexts.ts'
import type {Delivery} from './ports.ts'
import {writeAndUpload} from './write-run-file.ts'

/**
 * The exit flow of a run, in Go core's order (so that when file_stream says `complete`, every file
 * is already uploaded): console logs flushed → wandb-summary.json → final upsert → config.yaml →
 * pending artifact work → the Launch job artifact (if the run makes one) → remaining and END-policy files, all transfers drained → file_stream
 * finish with the exit code → uploads marked done → user messages closed → exit_result.
 * finish_timeout (seconds, if set) or a cancelled exit request aborts what is still uploading.
 * Resolves the delivery outcomes (also kept on s.uploads for poll_exit / sync).
 */
export async function finishRun(s: SenderContext, exit: RunExitRecord, responder: Responder | undefined): Promise<Delivery[]> {
  // No operation of its own: as in Go core, the SDK shows what finishing waits for (uploads, the
  // final run update), and "Finishing up..." when nothing is in flight.
  let timedOut = false
  const timeoutMs = s.settings.finishTimeoutSeconds * 1000
  const abort = new AbortController()
  const timer =
    timeoutMs > 0
      ? setTimeout(() => {
          timedOut = true
          s.printer.warn('Timed out finishing run.')
          abort.abort(new Error('finish_timeout reached'))
        }, timeoutMs)
      : undefined
  const onCancel = () => abort.abort(new Error('exit request cancelled'))
  responder?.signal.addEventListener('abort', onCancel, {once: true})
  const outcomes: Delivery[] = []
  try {
    const steps = (async () => {
      await s.console?.finish()
      if (!s.offline && s.settings.primary) writeAndUpload(s, 'wandb-summary.json', s.summary.serialize())
      await s.run.finish()
      if (!s.offline && s.settings.primary) writeAndUpload(s, 'config.yaml', s.run.configYaml())
      await Promise.allSettled([...s.pending])
      outcomes.push(...s.backgroundOutcomes)
      // after the pending saves, so that a code artifact can be the job's source; its failure is logged, not a lost upload (as in Go)
      if (s.jobs && s.run.initialized) await s.jobs.flush()
      if (s.runFiles) {
        s.runFiles.uploadRemaining()
        outcomes.push(...(await s.runFiles.finish()).outcomes.values())
      }
      await s.closeTransfers()
      if (s.fileStream) {
        const complete = !exit.not_complete && s.settings.updateFinishState
        outcomes.push(await (complete ? s.fileStream.finishWithExit(exit.exit_code) : s.fileStream.finishWithoutExit()))
      }
    })()
    await Promise.race([steps, new Promise((resolve) => abort.signal.addEventListener('abort', resolve, {once: true}))])
    if (abort.signal.aborted) outcomes.push({status: 'abandoned', error: abort.signal.reason as Error})
  } catch (err) {
    s.logger.captureError('sender: finishing the run failed', err)
    outcomes.push({status: 'abandoned', error: err as Error})
  } finally {
    if (timer) clearTimeout(timer)
    responder?.signal.removeEventListener('abort', onCancel)
    s.uploads.done = true
    s.printer.close()
  }
  const failed = outcomes.filter((o) => o.status !== 'delivered')
  if (failed.length > 0) s.logger.warn('sender: run finished with undelivered uploads', {count: failed.length, first: String(failed[0].error)})
  responder?.respond(resultOf({oneofKind: 'exit_result', exit_result: RunExitResult.create({timed_out: timedOut})}))
  return outcomes
}
