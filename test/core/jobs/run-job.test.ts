/**
 * RunJob (the sender's job work) with a fake artifact engine and GraphQL client, and the stream
 * units that feed it: job_input, use_artifact, the code artifact of log_artifact, job_info.
 */
import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {existsSync, readFileSync} from 'node:fs'
import type {GraphQLClient, GraphQLOperation} from '../../../src/core/api/index.ts'
import type {RunArtifacts} from '../../../src/core/artifacts/index.ts'
import {RunJob, type RunState} from '../../../src/core/jobs/index.ts'
import {Operations} from '../../../src/core/operations/index.ts'
import {ArtifactRecord, JobInputRequest, Record, Request, type Response} from '../../../src/core/proto.ts'
import {CapturingResponder} from '../../../src/core/server/index.ts'
import type {HandlerContext, SenderContext} from '../../../src/core/stream/contexts.ts'
import {jobInfoUnit, jobInputUnit, useArtifactUnit} from '../../../src/core/stream/units/jobs.ts'
import {RecordingLogger} from '../../fakes/recording-logger.ts'
import {filesDir, REPO_METADATA, type FilesDir} from './helpers.ts'

let dir: FilesDir
let logger: RecordingLogger
beforeEach(() => {
  dir = filesDir()
  logger = new RecordingLogger()
  dir.write('requirements.txt', 'wandb==0.31.0\n')
  dir.write('wandb-metadata.json', REPO_METADATA)
})
afterEach(() => dir.dispose())

const STATE: RunState = {config: {a: 1}, summary: {b: 'x'}, entity: 'e', project: 'p', runId: 'r'}

interface Saved {
  record: ArtifactRecord
  jobJson: string
}

function runJob(o: {save?: (record: ArtifactRecord) => Promise<string>; request?: (op: GraphQLOperation) => Promise<unknown>} = {}) {
  const saved: Saved[] = []
  const requests: GraphQLOperation[] = []
  const operations = new Operations(() => 0)
  const artifacts = {
    save: async (record: ArtifactRecord) => {
      saved.push({record, jobJson: readFileSync(record.manifest!.contents[1].local_path, 'utf8')})
      return o.save ? o.save(record) : 'QXJ0aWZhY3Q6OQ=='
    },
  } as unknown as RunArtifacts
  const graphql = {
    request: async (op: GraphQLOperation) => {
      requests.push(op)
      return o.request ? o.request(op) : {updateArtifact: {artifact: {id: 'x'}}}
    },
  } as unknown as GraphQLClient
  const job = new RunJob({settings: dir.settings(), logger, operations, artifacts, graphql, runState: () => STATE, signal: new AbortController().signal})
  return {job, saved, requests, operations}
}

describe('RunJob.flush', () => {
  test('builds and saves the job under "saving job artifact", then removes the temporary wandb-job.json', async () => {
    const {job, saved, operations} = runJob({
      save: async () => {
        expect(operations.stats().operations.map((op) => op.desc)).toEqual(['saving job artifact'])
        return 'QXJ0aWZhY3Q6OQ=='
      },
    })
    expect(await job.flush()).toEqual({kind: 'saved', artifactId: 'QXJ0aWZhY3Q6OQ==', name: 'job-https___github.com_o_r.git_train.py'})
    expect(saved).toHaveLength(1)
    expect(JSON.parse(saved[0].jobJson).input_types).toEqual({wb_type: 'typedDict', params: {type_map: {a: {wb_type: 'number'}}}})
    expect(existsSync(saved[0].record.manifest!.contents[1].local_path)).toBe(false)
    expect(operations.size).toBe(0)
  })

  test('a failed save is logged and reported, never thrown', async () => {
    const {job} = runJob({save: async () => Promise.reject(new Error('boom'))})
    const outcome = await job.flush()
    expect(outcome.kind).toBe('failed')
    expect(logger.find('error', 'sender: failed to build or save the job artifact')).toHaveLength(1)
  })

  test('a used partial job gets its metadata through UpdateArtifact instead of a new job', async () => {
    const {job, saved, requests} = runJob()
    job.handleUseArtifact({id: 'QXJ0aWZhY3Q6Mw==', type: 'job', name: 'p', partial: {job_name: 'j', source_info: undefined}})
    expect(await job.flush()).toEqual({kind: 'partial', artifactId: 'QXJ0aWZhY3Q6Mw=='})
    expect(saved).toEqual([])
    expect(requests.map((r) => [r.operationName, r.variables])).toEqual([['UpdateArtifact', {artifactID: 'QXJ0aWZhY3Q6Mw==', metadata: '{"input_types":{},"output_types":{"wb_type":"unknown"}}'}]])
  })

  test('only a "code" artifact becomes the source of an artifact job', async () => {
    dir.write('wandb-metadata.json', JSON.stringify({python: '3.11.2', codePath: 't.py'}))
    const {job, saved} = runJob()
    job.artifactLogged('dataset', 'data', 'ID0')
    expect((await job.flush()).kind).toBe('none')
    job.artifactLogged('code', 'source-p-t.py', 'ID1')
    expect(await job.flush()).toMatchObject({kind: 'saved', name: 'job-source-p-t.py'})
    expect(JSON.parse(saved[0].jobJson).source.artifact).toBe('wandb-artifact://_id/ID1')
  })
})

const request = (r: Request['request_type']) => Record.create({record_type: {oneofKind: 'request', request: Request.create({request_type: r})}})

describe('stream units', () => {
  test('job_input reaches the builder and is never answered; use_artifact of a complete job turns job creation off', async () => {
    const {job, saved} = runJob()
    const s = {jobs: job} as unknown as SenderContext
    const responder = new CapturingResponder()
    const input = JobInputRequest.create({input_source: {source: {oneofKind: 'run_config', run_config: {}}}, include_paths: [{path: ['a']}]})
    await jobInputUnit.process!({record: request({oneofKind: 'job_input', job_input: input}), responder}, s)
    expect(jobInputUnit.answersLater).toBe(true)
    expect(responder.responded).toBe(false)
    const outcome = await job.flush()
    expect(outcome.kind).toBe('saved')
    expect(saved[0].record.metadata).toContain('"@wandb.config"')
    await useArtifactUnit.process!({record: Record.create({record_type: {oneofKind: 'use_artifact', use_artifact: {id: 'J', type: 'job', name: 'job-x'}}})}, s)
    expect((await job.flush()).kind).toBe('none')
  })

  test('the units do nothing without a job builder (offline, or job creation off)', async () => {
    const s = {jobs: undefined} as unknown as SenderContext
    await jobInputUnit.process!({record: request({oneofKind: 'job_input', job_input: JobInputRequest.create()})}, s)
    await useArtifactUnit.process!({record: Record.create({record_type: {oneofKind: 'use_artifact', use_artifact: {id: 'J', type: 'job', name: 'x'}}})}, s)
  })

  test('job_info is answered in the handler with an empty job_info_response and not forwarded', () => {
    const answers: Response[] = []
    const forwarded: unknown[] = []
    const h = {respond: (_w: unknown, r: Response) => answers.push(r), forward: (w: unknown) => forwarded.push(w)} as unknown as HandlerContext
    jobInfoUnit.accept!({record: request({oneofKind: 'job_info', job_info: {}}), responder: new CapturingResponder()}, h)
    expect(answers.map((a) => a.response_type)).toEqual([{oneofKind: 'job_info_response', job_info_response: {sequenceId: '', version: ''}}])
    expect(forwarded).toEqual([])
  })
})
