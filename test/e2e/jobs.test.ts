/**
 * Launch jobs end to end with the real wandb 0.31 SDK: the same script (scenarios/job_flow.py) with
 * Go wandb-core and with nexus, each against a fresh backend, in a git repository with a remote and
 * a fixed commit (or with saved code, or a docker image), leaves the same `job` artifact: name,
 * type, aliases, manifest files and digests, the same wandb-job.json and requirements.frozen.txt
 * bytes, the same artifact metadata (the job input schema of manage_config_file /
 * manage_wandb_config), used by the run the same way. Where Go makes no job, nexus makes none.
 */
import {describe, expect, test} from 'bun:test'
import {copyFileSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {startBackend, type Backend, type InspectArtifact} from '../backend/index.ts'
import {gqlOk} from '../backend/gql-client.ts'
import {offlineRunDirs, runScenario, runWandbCli, SCENARIOS_DIR, type CoreKind, type ScenarioRun} from './harness.ts'
import {sdkProblems} from './sdk-output.ts'

type Mode = 'repo' | 'inputs' | 'code' | 'image' | 'disabled' | 'nosource'

const REMOTE = 'https://github.com/nexus-e2e/jobs.git'
/** Fixed identities and dates: both repositories get the same commit hash. */
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'e2e',
  GIT_AUTHOR_EMAIL: 'e2e@example.com',
  GIT_COMMITTER_NAME: 'e2e',
  GIT_COMMITTER_EMAIL: 'e2e@example.com',
  GIT_AUTHOR_DATE: '2025-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2025-01-01T00:00:00Z',
}

/** A working directory holding the script as train.py; for git modes a repository with a remote, one commit and an uncommitted change. */
function workDir(core: CoreKind, git: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), `e2e-jobs-${core}-`))
  copyFileSync(join(SCENARIOS_DIR, 'job_flow.py'), join(dir, 'train.py'))
  writeFileSync(join(dir, 'notes.txt'), 'first\n')
  if (!git) return dir
  const sh = (...cmd: string[]) => {
    const r = Bun.spawnSync(cmd, {cwd: dir, env: {...process.env, ...GIT_ENV}})
    if (r.exitCode !== 0) throw new Error(`${cmd.join(' ')}: ${r.stderr.toString()}`)
  }
  sh('git', 'init', '-q', '-b', 'main')
  sh('git', 'remote', 'add', 'origin', REMOTE)
  sh('git', 'add', 'train.py', 'notes.txt')
  sh('git', 'commit', '-qm', 'init')
  writeFileSync(join(dir, 'notes.txt'), 'first\nsecond\n')
  return dir
}

interface JobState {
  run: ScenarioRun
  artifacts: InspectArtifact[]
  /** Per job artifact: its files' bytes (utf8) and its metadata text. */
  jobs: Array<{artifact: InspectArtifact; files: Record<string, string>; metadata: string | null}>
}

async function fileText(backend: Backend, digestB64: string): Promise<string> {
  const res = await fetch(`${backend.url}/_storage/blobs/${Buffer.from(digestB64, 'base64').toString('hex')}`)
  if (!res.ok) throw new Error(`blob ${digestB64}: HTTP ${res.status}`)
  return res.text()
}

/** Runs job_flow.py in `mode` with `core` against a fresh backend and collects what it left. */
async function jobFlow(core: CoreKind, mode: Mode, runId: string, env: Record<string, string> = {}): Promise<JobState> {
  const dir = workDir(core, mode === 'repo' || mode === 'inputs' || mode === 'disabled')
  const backend = await startBackend({quiet: true})
  try {
    const run = await runScenario('job_flow', {core, backend, runId, cwd: dir, script: join(dir, 'train.py'), args: [mode], env: {WANDB_DISABLE_GIT: 'false', ...env}})
    expect(run.code, `${core}: ${run.stderr.slice(-3000)}`).toBe(0)
    const artifacts = await backend.inspectArtifacts()
    const jobs: JobState['jobs'] = []
    for (const artifact of artifacts.filter((a) => a.type === 'job')) {
      const files: Record<string, string> = {}
      for (const [path, f] of Object.entries(artifact.files)) files[path] = await fileText(backend, f.digest)
      const data = await gqlOk(backend, 'query Job($e: String!, $p: String!, $n: String!) { project(name: $p, entityName: $e) { artifact(name: $n) { metadata } } }', {
        e: artifact.entity,
        p: artifact.project,
        n: `${artifact.name}:${artifact.version}`,
      })
      jobs.push({artifact, files, metadata: data.project.artifact.metadata})
    }
    expect(await backend.inspectUnknown()).toEqual([])
    return {run, artifacts, jobs}
  } finally {
    await backend.stop()
  }
}

const newRunId = (p: string) => `${p}${Math.floor(Math.random() * 1e6)}`

/** Runs a mode on both cores; nexus must leave exactly Go's artifacts (jobs included) and no new SDK complaints. */
async function bothCores(mode: Mode, env: Record<string, string> = {}): Promise<{go: JobState; nx: JobState}> {
  const runId = newRunId(`job${mode}`)
  const go = await jobFlow('go', mode, runId, env)
  const nx = await jobFlow('nexus', mode, runId, env)
  expect(nx.artifacts).toEqual(go.artifacts)
  expect(nx.jobs).toEqual(go.jobs)
  const extra = sdkProblems(nx.run.stderr).filter((p) => !sdkProblems(go.run.stderr).includes(p))
  expect(extra).toEqual([])
  return {go, nx}
}

const jobJson = (s: JobState) => JSON.parse(s.jobs[0].files['wandb-job.json'])

describe('Launch job artifacts: nexus builds what Go wandb-core builds', () => {
  test('a git repository with a remote and a commit gives the same repo job (wandb-job.json, requirements.frozen.txt, diff.patch), used by the run', async () => {
    const {go, nx} = await bothCores('repo', {WANDB_DISABLE_CODE: 'false'})
    expect(go.jobs).toHaveLength(1)
    const job = go.jobs[0].artifact
    expect(job).toMatchObject({name: 'job-https___github.com_nexus-e2e_jobs.git_train.py', type: 'job', state: 'COMMITTED', aliases: ['latest'], createdBy: null, usedBy: [expect.any(String)]})
    expect(Object.keys(job.files).sort()).toEqual(['diff.patch', 'requirements.frozen.txt', 'wandb-job.json'])
    expect(go.jobs[0].files['diff.patch']).toContain('+second')
    expect(go.jobs[0].files['requirements.frozen.txt']).toMatch(/^wandb==0\.31\.0$/m)
    const spec = jobJson(nx)
    expect(spec).toMatchObject({_version: 'v0', source_type: 'repo', source: {git: {remote: REMOTE}, entrypoint: [expect.stringMatching(/^python/), 'train.py'], notebook: false}})
    expect(spec.input_types.params.type_map.model.params.type_map.layers).toEqual({wb_type: 'number'})
    expect(spec.output_types.params.type_map.best.params.type_map).toEqual({epoch: {wb_type: 'number'}, loss: {wb_type: 'number'}})
    expect(nx.jobs[0].metadata).toBe(go.jobs[0].metadata)
  }, 240_000)

  test('manage_config_file and manage_wandb_config give the same job input schema (artifact metadata) as Go', async () => {
    const {go, nx} = await bothCores('inputs')
    expect(go.jobs).toHaveLength(1)
    expect(nx.jobs[0].metadata).toBe(go.jobs[0].metadata)
    const meta = JSON.parse(nx.jobs[0].metadata ?? 'null')
    expect(Object.keys(meta)).toEqual(['input_schemas', 'input_types', 'output_types'])
    expect(meta.output_types).toEqual({wb_type: 'unknown'})
    const config = meta.input_types['@wandb.config'].params.type_map
    expect(Object.keys(config)).toEqual(['lr', 'model'])
    expect(Object.keys(config.model.params.type_map)).toEqual(['act', 'dims', 'layers'])
    const file = meta.input_types.files['train-config.yaml'].params.type_map
    expect(Object.keys(file.training.params.type_map)).toEqual(['epochs', 'schedule'])
    expect(meta.input_schemas.files['train-config.yaml'].properties.model.properties.layers).toEqual({maximum: 200, minimum: 1, type: 'integer'})
    expect(nx.jobs[0].metadata).toContain('passes \\u003cover\\u003e the data \\u0026 more')
    expect(jobJson(nx).input_types).toEqual({wb_type: 'typedDict', params: {type_map: {}}})
  }, 240_000)

  test('saved code (run.log_code) gives the same artifact job, pointing at the code artifact', async () => {
    const {go, nx} = await bothCores('code')
    expect(go.artifacts.map((a) => [a.name, a.type])).toEqual([
      ['job-source-e2e-train.py', 'job'],
      ['source-e2e-train.py', 'code'],
    ])
    expect(jobJson(nx)).toMatchObject({source_type: 'artifact', source: {artifact: expect.stringMatching(/^wandb-artifact:\/\/_id\/.+/), entrypoint: [expect.any(String), 'train.py']}})
    expect(Object.keys(nx.jobs[0].artifact.files).sort()).toEqual(['requirements.frozen.txt', 'wandb-job.json'])
  }, 240_000)

  test('a docker image (WANDB_DOCKER) gives the same image job, its tag an alias', async () => {
    const {nx} = await bothCores('image', {WANDB_DOCKER: 'python:3.11-slim'})
    expect(nx.jobs.map((j) => [j.artifact.name, j.artifact.aliases])).toEqual([['job-python', ['3.11-slim', 'latest']]])
    expect(jobJson(nx)).toMatchObject({source_type: 'image', source: {image: 'python:3.11-slim'}})
  }, 240_000)
})

describe('no job where Go makes none', () => {
  test('job creation left at the SDK default (disabled) in a git repository: no job on either core', async () => {
    const {go} = await bothCores('disabled')
    expect(go.artifacts).toEqual([])
  }, 240_000)

  test('job creation on but no git remote, code artifact or docker image: no job on either core', async () => {
    const {go} = await bothCores('nosource')
    expect(go.artifacts).toEqual([])
  }, 240_000)

  test('an offline run with job creation on, synced with `wandb sync`: no job on either core', async () => {
    const runId = newRunId('joboff')
    for (const core of ['go', 'nexus'] as const) {
      const dir = workDir(core, true)
      const written = await runScenario('job_flow', {core, runId, cwd: dir, script: join(dir, 'train.py'), args: ['repo'], env: {WANDB_MODE: 'offline', WANDB_DISABLE_GIT: 'false'}})
      expect(written.code, written.stderr).toBe(0)
      const [runDir] = offlineRunDirs(dir)
      const backend = await startBackend({quiet: true})
      try {
        const synced = await runWandbCli(['sync', runDir], {core, backend, dir})
        expect(synced.code, synced.stderr).toBe(0)
        expect((await backend.inspectRuns()).map((r) => r.id)).toEqual([runId])
        expect(await backend.inspectArtifacts()).toEqual([])
        expect(await backend.inspectUnknown()).toEqual([])
      } finally {
        await backend.stop()
      }
    }
  }, 240_000)
})
