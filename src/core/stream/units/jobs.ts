/** Units feeding the Launch job builder (src/core/jobs): job inputs, used artifacts, job_info. */
import {Response} from '../../proto.ts'
import type {Work} from '../work.ts'
import {payload} from './data-records.ts'
import type {Unit} from './unit.ts'

function jobInputRequest(work: Work) {
  const r = work.record.record_type
  if (r.oneofKind !== 'request' || r.request.request_type.oneofKind !== 'job_input') throw new Error('unit: expected a job_input request')
  return r.request.request_type.job_input
}

/**
 * job_input (manage_config_file / manage_wandb_config): declares a job input to the builder, in
 * record order. Never answered, as in Go core (the SDK does not wait for it).
 */
export const jobInputUnit: Unit = {
  answersLater: true,
  process(work, s) {
    s.jobs?.handleJobInput(jobInputRequest(work))
  },
}

/**
 * job_info: not sent by the 0.31 SDK, and ignored by Go core (not forwarded, never answered).
 * Answered in the handler with an empty job_info_response so that a client that does wait is
 * not left hanging; nothing else happens.
 */
export const jobInfoUnit: Unit = {
  accept(work, h) {
    if (work.responder) h.respond(work, Response.create({response_type: {oneofKind: 'job_info_response', job_info_response: {sequenceId: '', version: ''}}}))
  },
}

/** A use_artifact record: saved, and online it tells the job builder that the run used a job (complete or partial). */
export const useArtifactUnit: Unit = {
  process(work, s) {
    s.jobs?.handleUseArtifact(payload(work.record, 'use_artifact'))
  },
}
