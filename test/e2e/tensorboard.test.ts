/**
 * TensorBoard sync, differentially: each scenario runs with the real SDK 0.31.0 once with its
 * bundled Go wandb-core and once with nexus, against fresh local backends, and the server states
 * must be equal — history, summary, files (tfevents uploaded at the end, media) — plus the chart
 * configs in the run config (`_wandb.visualize`, read from the local config.yaml since the
 * backend's view leaves `_wandb` out).
 *
 * On top of normalize.ts, names that legitimately differ are replaced: media file ids (random) by
 * the content's MD5 (images) or the order of appearance (tables), the time/host/pid part of
 * tfevents file names. A table's sha256 is checked against its file and then masked, and the
 * tables are compared by content: Go writes a table's two JSON keys in random order.
 */
import {describe, expect, test} from 'bun:test'
import {createHash} from 'node:crypto'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from 'yaml'
import {goStringFromBytes} from '../../src/core/tensorboard/index.ts'
import {startBackend, type InspectRun} from '../backend/index.ts'
import {FIXTURE_ARCHIVE} from '../core/tensorboard/helpers.ts'
import {runScenario, type CoreKind, type ScenarioRun} from './harness.ts'
import {normalizeRun, type NormalizedRun} from './normalize.ts'
import {sdkProblems} from './sdk-output.ts'

interface Outcome {
  run: ScenarioRun
  raw: InspectRun
  state: NormalizedRun
  tables: unknown[]
  visualize: unknown
}

const MEDIA = /media\/(images|table)\/[a-z0-9]{32}\.[a-z.]+/g
const TFEVENTS = /tfevents\.\d+\.[^./]+\.\d+\./g

async function outcome(scenario: string, core: CoreKind, runId: string): Promise<Outcome> {
  const backend = await startBackend({quiet: true})
  try {
    const run = await runScenario(scenario, {core, backend, runId, env: {E2E_TB_FIXTURE: FIXTURE_ARCHIVE}})
    expect(run.code, `${core}: ${run.stderr.slice(-2000)}`).toBe(0)
    const [raw] = await backend.inspectRuns()
    const runDir = readdirSync(join(run.dir, 'wandb')).find((d) => d.startsWith('run-') && d.endsWith(runId))!
    const filesDir = join(run.dir, 'wandb', runDir, 'files')
    return {run, raw, ...normalizeTensorBoard(raw, filesDir)}
  } finally {
    await backend.stop()
  }
}

/** The normalised state with stable media and tfevents names, plus the tables and chart configs. */
function normalizeTensorBoard(raw: InspectRun, filesDir: string): {state: NormalizedRun; tables: unknown[]; visualize: unknown} {
  const state = normalizeRun(raw)
  const names = new Map<string, string>()
  const tables: unknown[] = []
  for (const row of state.history) {
    for (const value of Object.values(row)) {
      const v = value as {_type?: string; path: string; sha256: string}
      if (v?._type !== 'table-file') continue
      const content = readFileSync(join(filesDir, v.path))
      expect(v.sha256).toBe(goStringFromBytes(createHash('sha256').update(content).digest()))
      names.set(v.path, `media/table/table${tables.length}.table.json`)
      tables.push(JSON.parse(content.toString()))
    }
  }
  const files: {[name: string]: string} = {}
  for (const [name, md5] of Object.entries(state.files)) {
    if (name.startsWith('media/images/')) names.set(name, `media/images/${md5}.png`)
    const stable = (names.get(name) ?? name).replace(TFEVENTS, 'tfevents.<time>.<host>.<pid>.')
    files[stable] = name.startsWith('media/table/') ? '<table>' : md5
  }
  const rename = <T>(value: T): T =>
    JSON.parse(
      JSON.stringify(value, (key, v) => {
        if (key === 'sha256' && typeof v === 'string') return '<sha256>'
        return typeof v === 'string' ? v.replace(MEDIA, (m) => names.get(m) ?? m) : v
      }),
    )
  const config = parse(readFileSync(join(filesDir, 'config.yaml'), 'utf8'))
  return {
    state: {
      ...state,
      files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b))),
      history: rename(state.history),
      summary: rename(state.summary),
    },
    tables,
    visualize: config._wandb.value.visualize,
  }
}

async function differential(scenario: string): Promise<{go: Outcome; nexus: Outcome}> {
  const runId = `${scenario.replace(/_/g, '')}${Math.floor(Math.random() * 1e6)}`
  const go = await outcome(scenario, 'go', runId)
  const nexus = await outcome(scenario, 'nexus', runId)
  expect(nexus.state).toEqual(go.state)
  expect(nexus.tables).toEqual(go.tables)
  expect(nexus.visualize).toEqual(go.visualize)
  const tbTimestamps = (o: Outcome) => o.raw.history.filter((r) => 'global_step' in r).map((r) => r._timestamp)
  expect(tbTimestamps(nexus)).toEqual(tbTimestamps(go))
  expect(sdkProblems(nexus.run.stderr).filter((p) => !sdkProblems(go.run.stderr).includes(p))).toEqual([])
  return {go, nexus}
}

describe('TensorBoard sync leaves the same server state as Go wandb-core', () => {
  test('sync_tensorboard with a patched writer: every summary kind, a growing file, a sub-run, filtered files', async () => {
    const {nexus} = await differential('tensorboard_sync')
    const {history, files, summary} = nexus.state
    expect(history.map((r) => r._step)).toEqual([...Array(13).keys()])
    expect(history.map((r) => r.global_step)).toEqual([undefined, 0, 1, 2, 3, 4, 5, 6, 3, 8, 0, 1, 2])
    expect(history[1]).toMatchObject({'run1/loss': 1, 'run1/acc': 0.25, 'run1/weights': {_type: 'histogram', bins: [-1, 0, 1, 2], values: [3, 5, 2]}})
    expect(history[3]['run1/loss']).toBe(0.33333334)
    expect(history[9]['run1/loss']).toBe(0.125) // the record written in two parts
    expect(Object.keys(summary).filter((k) => /stale|foreign|text|hparams_/.test(k))).toEqual([])
    expect(Object.keys(files).filter((f) => f.includes('tfevents'))).toEqual(['run1/events.out.tfevents.<time>.<host>.<pid>.3', 'run1/multi_a/events.out.tfevents.<time>.<host>.<pid>.4'])
    expect(nexus.visualize).toHaveProperty(['run1/pr', 'panel_type'], 'Vega2')
  }, 120_000)

  test('real PyTorch SummaryWriter files: scalars, add_scalars sub-runs, histograms, images, PR curves, text, hparams', async () => {
    const {nexus} = await differential('tensorboard_fixture')
    expect(nexus.state.history).toHaveLength(300)
    expect(Object.keys(nexus.state.files).filter((f) => f.startsWith('media/'))).toHaveLength(8)
    expect(nexus.tables).toHaveLength(4)
  }, 120_000)
})
