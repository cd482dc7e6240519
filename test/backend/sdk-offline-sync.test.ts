/**
 * Acceptance with the real clients, offline: the SDK writes a run in offline mode, then
 * `wandb sync` (the Go core's sync path) uploads it; the backend must hold the same history,
 * summary, config and artifact as a live run would have sent.
 */
import {afterAll, beforeAll, expect, test} from 'bun:test'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {startBackend, type Backend} from './index.ts'
import {expectSuccess, SdkSandbox} from './sdk-sandbox.ts'
import {EXPECTED_CONFIG, EXPECTED_SUMMARY, expectedHistory, withoutTiming} from './scenario-expectations.ts'

let backend: Backend
let sandbox: SdkSandbox

beforeAll(async () => {
  backend = await startBackend({quiet: true})
  sandbox = new SdkSandbox(backend)
})
afterAll(async () => {
  sandbox?.dispose()
  await backend.stop()
})

test('an offline run uploaded by `wandb sync` shows the same history, summary, config and artifact', async () => {
  const out = sandbox.path('result.json')
  expectSuccess('offline online_run.py', await sandbox.script('online_run.py', [out], {env: {WANDB_MODE: 'offline'}}))
  const result = JSON.parse(readFileSync(out, 'utf8')) as {run_id: string; steps: number; saved_md5: string; saved_size: number; artifact_files: Record<string, {md5: string; size: number}>}
  expect(await backend.inspectRuns()).toEqual([])

  const offlineDir = readdirSync(join(sandbox.dir, 'wandb')).find((d) => d.startsWith('offline-run-') && d.endsWith(result.run_id))
  expect(offlineDir).toBeDefined()
  const sync = await sandbox.cli(['sync', join('wandb', offlineDir as string)])
  expectSuccess('wandb sync', sync)
  expect(existsSync(join(sandbox.dir, 'wandb', offlineDir as string, `run-${result.run_id}.wandb.synced`))).toBe(true)

  const runs = await backend.inspectRuns()
  expect(runs.map((r) => r.id)).toEqual([result.run_id])
  const run = runs[0]
  expect(run).toMatchObject({entity: 'nexus', project: 'nexus-e2e', state: 'finished', exitCode: 0, group: 'acceptance', jobType: 'train'})
  expect(run.history.map(withoutTiming)).toEqual(expectedHistory(result.steps))
  expect(withoutTiming(run.summary)).toEqual(EXPECTED_SUMMARY)
  expect(run.config).toEqual(EXPECTED_CONFIG)
  expect(run.files['saved.txt']).toEqual({size: result.saved_size, md5: result.saved_md5})

  const [art] = await backend.inspectArtifacts()
  expect(art).toMatchObject({name: 'e2e-dataset', version: 'v0', state: 'COMMITTED', createdBy: result.run_id, aliases: ['first', 'latest']})
  expect(Object.keys(art.files).sort()).toEqual(Object.keys(result.artifact_files).sort())
  expect(await backend.inspectUnknown()).toEqual([])
}, 240_000)
