/**
 * Acceptance with the real clients, online: the SDK (0.31.0) and its bundled Go wandb-core run
 * scenarios/online_run.py against the backend — once cleanly, once under injected faults — and
 * the inspection API must show exactly what the script produced.
 */
import {afterAll, beforeAll, describe, expect, test} from 'bun:test'
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'
import {startBackend, type Backend, type InspectRun} from './index.ts'
import {EXPECTED_CONFIG, EXPECTED_SUMMARY, expectedHistory, withoutTiming} from './scenario-expectations.ts'
import {expectSuccess, FAST_RETRIES, SdkSandbox} from './sdk-sandbox.ts'

interface ScenarioResult {
  entity: string
  project: string
  run_id: string
  steps: number
  saved_md5: string
  saved_size: number
  artifact_files: Record<string, {md5: string; size: number}>
  downloaded: Record<string, string>
  run_dir: string
}

function md5(data: Uint8Array): string {
  return new Bun.CryptoHasher('md5').update(data).digest('hex')
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, {recursive: true, encoding: 'utf8'})
    .filter((p) => statSync(join(dir, p)).isFile())
    .map((p) => relative(dir, join(dir, p)))
}

async function runScenario(backend: Backend, extraEnv: Record<string, string> = {}): Promise<{result: ScenarioResult; run: InspectRun; sandbox: SdkSandbox}> {
  const sandbox = new SdkSandbox(backend, extraEnv)
  const out = sandbox.path('result.json')
  expectSuccess('online_run.py', await sandbox.script('online_run.py', [out], {timeoutMs: 240_000}))
  const result = JSON.parse(readFileSync(out, 'utf8')) as ScenarioResult
  const run = (await backend.inspectRuns()).find((r) => r.id === result.run_id)
  if (!run) throw new Error(`run ${result.run_id} not in /_inspect/runs`)
  return {result, run, sandbox}
}

describe('the real SDK online against the backend', () => {
  let backend: Backend
  let clean: {result: ScenarioResult; run: InspectRun; sandbox: SdkSandbox}

  beforeAll(async () => {
    backend = await startBackend({quiet: true})
  })
  afterAll(async () => {
    clean?.sandbox.dispose()
    await backend.stop()
  })

  test('init/config/log×1000/summary/define_metric/save/alert/log_artifact/use_artifact/finish is stored completely', async () => {
    clean = await runScenario(backend)
    const {result, run} = clean
    expect(run).toMatchObject({entity: 'nexus', project: 'nexus-e2e', state: 'finished', exitCode: 0})
    expect(run.config).toEqual(EXPECTED_CONFIG)
    expect(run.tags).toEqual(['e2e', 'nexus'])
    expect(run).toMatchObject({notes: 'backend acceptance run', group: 'acceptance', jobType: 'train'})
    expect(run.history.map(withoutTiming)).toEqual(expectedHistory(result.steps))
    expect(run.history.every((r) => typeof r._runtime === 'number' && typeof r._timestamp === 'number')).toBe(true)
    expect(withoutTiming(run.summary)).toEqual(EXPECTED_SUMMARY)
    expect(run.alerts).toEqual([{title: 'acceptance alert', text: 'the run reached the end', severity: 'WARN'}])

    // every file the run left in its files dir was uploaded byte for byte
    expect(run.files['saved.txt']).toEqual({size: result.saved_size, md5: result.saved_md5})
    for (const name of ['config.yaml', 'wandb-summary.json', 'wandb-metadata.json', 'requirements.txt', 'output.log']) {
      expect(run.files[name]).toBeDefined()
    }
    for (const name of filesUnder(result.run_dir)) {
      const data = readFileSync(join(result.run_dir, name))
      expect({name, ...run.files[name]}).toEqual({name, size: data.byteLength, md5: md5(data)})
    }

    const artifacts = await backend.inspectArtifacts()
    const art = artifacts.find((a) => a.name === 'e2e-dataset')
    expect(art).toMatchObject({entity: 'nexus', project: 'nexus-e2e', version: 'v0', type: 'dataset', state: 'COMMITTED', createdBy: result.run_id})
    expect(art?.aliases).toEqual(['first', 'latest'])
    expect(art?.usedBy).toEqual([result.run_id])
    const expectedFiles = Object.fromEntries(Object.entries(result.artifact_files).map(([p, f]) => [p, {size: f.size, digest: Buffer.from(f.md5, 'hex').toString('base64')}]))
    expect(art?.files).toEqual(expectedFiles)
    expect(result.downloaded).toEqual(Object.fromEntries(Object.entries(result.artifact_files).map(([p, f]) => [p, f.md5])))

    expect(await backend.inspectUnknown()).toEqual([])
    const requests = await backend.inspectRequests()
    expect(requests.filter((r) => r.status >= 500)).toEqual([])
    for (const op of ['UpsertBucket', 'CreateRunFiles', 'NotifyScriptableRunAlert', 'CreateArtifact', 'CommitArtifact', 'UseArtifact']) {
      expect(requests.some((r) => r.operation === op)).toBe(true)
    }
  }, 240_000)

  test('under 30% 500s on file_stream and GraphQL, a 429 with Retry-After and a dropped connection, the run ends with the same history and summary', async () => {
    expect(clean).toBeDefined()
    await backend.addFault({match: {path: '/graphql'}, action: 'status', status: 429, retryAfter: 2, times: 1})
    await backend.addFault({match: {path: '/graphql'}, action: 'status', status: 500, times: 1}) // at least one, whatever the dice say
    await backend.addFault({match: {path: '/files/'}, action: 'reset', times: 1})
    await backend.addFault({match: {path: '/files/'}, action: 'status', status: 500, times: 1}) // at least one, whatever the dice say
    await backend.addFault({match: {path: '/files/'}, action: 'status', status: 500, probability: 0.3})
    await backend.addFault({match: {path: '/graphql'}, action: 'status', status: 500, probability: 0.3})
    const faulty = await runScenario(backend, FAST_RETRIES)
    await backend.clearFaults()
    try {
      expect(faulty.run).toMatchObject({state: 'finished', exitCode: 0})
      expect(faulty.run.history.map(withoutTiming)).toEqual(clean.run.history.map(withoutTiming))
      expect(withoutTiming(faulty.run.summary)).toEqual(withoutTiming(clean.run.summary))
      expect(faulty.run.config).toEqual(clean.run.config)
      expect(faulty.run.files['saved.txt']).toEqual(clean.run.files['saved.txt'])

      const requests = await backend.inspectRequests()
      const faulted = requests.filter((r) => r.fault)
      expect(faulted.some((r) => r.status === 429)).toBe(true)
      expect(faulted.some((r) => r.fault === 'reset')).toBe(true)
      expect(faulted.some((r) => r.status === 500 && r.path === '/graphql')).toBe(true)
      expect(faulted.some((r) => r.status === 500 && r.path.endsWith('/file_stream'))).toBe(true)
    } finally {
      faulty.sandbox.dispose()
    }
  }, 300_000)
})
