/** JobBuilder: when a run makes a job, and the artifact record it builds. */
import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {existsSync, readFileSync} from 'node:fs'
import {artifactDigest, md5B64} from '../../../src/core/artifacts/index.ts'
import {JobBuildError, JobBuilder, type JobPlan, type RunState} from '../../../src/core/jobs/index.ts'
import {JobInputRequest} from '../../../src/core/proto.ts'
import {RecordingLogger} from '../../fakes/recording-logger.ts'
import {filesDir, REPO_METADATA, type FilesDir} from './helpers.ts'

let dir: FilesDir
let logger: RecordingLogger
const plans: JobPlan[] = []
beforeEach(() => {
  dir = filesDir()
  logger = new RecordingLogger()
})
afterEach(() => {
  for (const p of plans.splice(0)) if (p.kind === 'artifact') p.artifact.cleanup()
  dir.dispose()
})

const RUN: RunState = {config: {lr: 0.1, _wandb: {x: 1}}, summary: {loss: 0.5, _wandb: {runtime: 2}}, entity: 'ent', project: 'proj', runId: 'r1'}

async function build(b: JobBuilder, run: RunState = RUN): Promise<JobPlan> {
  const plan = await b.build(run)
  plans.push(plan)
  return plan
}

function artifactOf(plan: JobPlan) {
  if (plan.kind !== 'artifact') throw new Error(`expected an artifact plan, got ${JSON.stringify(plan)}`)
  return plan.artifact
}

describe('a repo job', () => {
  test('wandb-job.json in Go field order, requirements.frozen.txt, diff.patch; aliases, ids and flags as Go sets them', async () => {
    dir.write('requirements.txt', 'wandb==0.31.0\n')
    dir.write('wandb-metadata.json', REPO_METADATA)
    dir.write('diff.patch', 'diff --git a/x b/x\n')
    const artifact = artifactOf(await build(new JobBuilder({settings: dir.settings(), logger})))
    const r = artifact.record
    expect(r).toMatchObject({
      entity: 'ent',
      project: 'proj',
      run_id: 'r1',
      type: 'job',
      name: 'job-https___github.com_o_r.git_train.py',
      metadata: '',
      aliases: ['latest'],
      finalize: true,
      use_after_commit: true,
      user_created: true,
    })
    expect(r.client_id).toMatch(/^[a-zA-Z0-9]{128}$/)
    expect(r.sequence_client_id).toMatch(/^[a-zA-Z0-9]{128}$/)
    expect(r.client_id).not.toBe(r.sequence_client_id)
    const entries = r.manifest!.contents
    expect(entries.map((e) => e.path)).toEqual(['requirements.frozen.txt', 'wandb-job.json', 'diff.patch'])
    expect(r.manifest).toMatchObject({version: 1, storage_policy: 'wandb-storage-policy-v1', storage_policy_config: [{key: 'storageLayout', value_json: '"V2"'}]})
    const job = readFileSync(entries[1].local_path, 'utf8')
    expect(job).toBe(
      '{"_version":"v0","source":{"git":{"remote":"https://github.com/o/r.git","commit":"c0ffee"},"entrypoint":["python3.11","train.py"],"notebook":false},"source_type":"repo",' +
        '"input_types":{"wb_type":"typedDict","params":{"type_map":{"lr":{"wb_type":"number"}}}},"output_types":{"wb_type":"typedDict","params":{"type_map":{"loss":{"wb_type":"number"}}}},"runtime":"3.11.7"}',
    )
    expect(entries[1]).toMatchObject({digest: md5B64(job), size: BigInt(job.length)})
    expect(entries[0]).toMatchObject({digest: md5B64('wandb==0.31.0\n'), size: 14n})
    expect(r.digest).toBe(artifactDigest(entries.map((e) => [e.path, e.digest] as const)))
    artifact.cleanup()
    expect(existsSync(entries[1].local_path)).toBe(false)
  })

  test('declared inputs move the types into the metadata and leave input_types empty', async () => {
    dir.write('requirements.txt', 'x==1\n')
    dir.write('wandb-metadata.json', REPO_METADATA)
    const b = new JobBuilder({settings: dir.settings(), logger})
    b.addInput(JobInputRequest.create({input_source: {source: {oneofKind: 'run_config', run_config: {}}}}))
    const r = artifactOf(await build(b)).record
    expect(r.metadata).toBe('{"input_types":{"@wandb.config":{"wb_type":"typedDict","params":{"type_map":{"lr":{"wb_type":"number"}}}}},"output_types":{"wb_type":"unknown"}}')
    expect(readFileSync(r.manifest!.contents[1].local_path, 'utf8')).toContain('"input_types":{"wb_type":"typedDict","params":{"type_map":{}}}')
    expect(r.manifest!.contents.map((e) => e.path)).toEqual(['requirements.frozen.txt', 'wandb-job.json'])
  })

  test('a partial job in the metadata keeps its entrypoint and is marked _partial', async () => {
    dir.write('requirements.txt', 'x==1\n')
    dir.write('wandb-metadata.json', JSON.stringify({...JSON.parse(REPO_METADATA), _partial: 'v0', entrypoint: ['bash', 'go.sh']}))
    const r = artifactOf(await build(new JobBuilder({settings: dir.settings(), logger}))).record
    const job = JSON.parse(readFileSync(r.manifest!.contents[1].local_path, 'utf8'))
    expect(job.source.entrypoint).toEqual(['bash', 'go.sh'])
    expect(Object.keys(job).slice(-2)).toEqual(['runtime', '_partial'])
  })
})

describe('no job', () => {
  test('disabled; no requirements.txt; no python version; no source; no program path', async () => {
    const reason = async (b: JobBuilder) => {
      const p = await build(b)
      return p.kind === 'none' ? p.reason : p.kind
    }
    expect(await reason(new JobBuilder({settings: dir.settings({disabled: true}), logger}))).toBe('job creation is disabled')
    expect(await reason(new JobBuilder({settings: dir.settings(), logger}))).toBe('no requirements.txt')
    dir.write('requirements.txt', 'x==1\n')
    dir.write('wandb-metadata.json', JSON.stringify({git: {remote: 'r', commit: 'c'}, codePath: 't.py'}))
    expect(await reason(new JobBuilder({settings: dir.settings(), logger}))).toBe('no python version in the metadata')
    dir.write('wandb-metadata.json', JSON.stringify({python: '3.11', codePath: 't.py'}))
    expect(await reason(new JobBuilder({settings: dir.settings(), logger}))).toMatch(/^no source/)
    dir.write('wandb-metadata.json', JSON.stringify({python: '3.11', git: {remote: 'r', commit: 'c'}}))
    expect(await reason(new JobBuilder({settings: dir.settings(), logger}))).toBe('no program path')
    expect(logger.find('warn', 'No requirements.txt found')).toHaveLength(1)
  })

  test('the run used a complete job, or a partial one without a name: disabled', async () => {
    dir.write('requirements.txt', 'x==1\n')
    dir.write('wandb-metadata.json', REPO_METADATA)
    const b = new JobBuilder({settings: dir.settings(), logger})
    b.useArtifact({type: 'dataset', id: 'd'})
    expect(b.disabled).toBe(false)
    b.useArtifact({type: 'job', id: 'j'})
    expect(b.disabled).toBe(true)
    expect((await build(b)).kind).toBe('none')
    const c = new JobBuilder({settings: dir.settings(), logger})
    c.useArtifact({type: 'job', id: 'j', partial: {job_name: ''}})
    expect(c.disabled).toBe(true)
  })

  test('a missing metadata file or job_source the run cannot make: JobBuildError', async () => {
    dir.write('requirements.txt', 'x==1\n')
    await expect(new JobBuilder({settings: dir.settings(), logger}).build(RUN)).rejects.toThrow(JobBuildError)
    dir.write('wandb-metadata.json', REPO_METADATA)
    await expect(new JobBuilder({settings: dir.settings({source: 'image'}), logger}).build(RUN)).rejects.toThrow(/no image job ingredients/)
  })
})

describe('other sources', () => {
  test('a partial job used by the run is completed: its metadata, nothing built', async () => {
    const b = new JobBuilder({settings: dir.settings(), logger})
    b.useArtifact({type: 'job', id: 'QXJ0aWZhY3Q6Nw==', partial: {job_name: 'my-job'}})
    expect(await build(b)).toEqual({kind: 'partial', artifactId: 'QXJ0aWZhY3Q6Nw==', metadata: '{"input_types":{},"output_types":{"wb_type":"unknown"}}'})
  })

  test('a code artifact makes an artifact job named after it; an image job gets its tag as an alias', async () => {
    dir.write('requirements.txt', 'x==1\n')
    dir.write('wandb-metadata.json', JSON.stringify({python: '3.10.2', codePath: 'a/t.py', codePathLocal: 't.py'}))
    const b = new JobBuilder({settings: dir.settings(), logger})
    b.setCodeArtifact('QXJ0aWZhY3Q6MQ==', 'source-proj-t.py')
    const r = artifactOf(await build(b)).record
    expect(r.name).toBe('job-source-proj-t.py')
    expect(JSON.parse(readFileSync(r.manifest!.contents[1].local_path, 'utf8')).source).toEqual({
      artifact: 'wandb-artifact://_id/QXJ0aWZhY3Q6MQ==',
      entrypoint: ['python3.10', 't.py'],
      notebook: false,
    })
    dir.write('wandb-metadata.json', JSON.stringify({python: '3.10.2', docker: 'me/img:v2'}))
    const img = artifactOf(await build(new JobBuilder({settings: dir.settings(), logger}))).record
    expect([img.name, img.aliases]).toEqual(['job-me_img', ['v2', 'latest']])
  })

  test('no summary gives the zero type Go writes for output_types', async () => {
    dir.write('requirements.txt', 'x==1\n')
    dir.write('wandb-metadata.json', REPO_METADATA)
    const r = artifactOf(await build(new JobBuilder({settings: dir.settings(), logger}), {...RUN, summary: undefined})).record
    expect(readFileSync(r.manifest!.contents[1].local_path, 'utf8')).toContain('"output_types":{"wb_type":""}')
  })
})
