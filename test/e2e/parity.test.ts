/**
 * The original Nexus feature-parity table, row by row, proven through the real SDK 0.31: each
 * scenario (scenarios/parity_*.py) runs once with the SDK's Go wandb-core and once with nexus,
 * each against a fresh backend; the normalised server states must be equal, and each test then
 * checks what its row is about. Rows covered elsewhere: differential.test.ts (init/log/config/
 * summary, define_metric, tags/notes/name/group, crash, reinit, multiprocessing, attached,
 * offline + sync, code saving), artifacts.test.ts, tensorboard.test.ts. Launch is not available.
 */
import {describe, expect, test} from 'bun:test'
import {createHash} from 'node:crypto'
import {DEFAULT_VIEWER} from '../backend/auth.ts'
import {gqlOk} from '../backend/gql-client.ts'
import {startBackend, type Backend, type InspectArtifact, type InspectRun, type InspectSweep} from '../backend/index.ts'
import {runScenario, type ScenarioRun} from './harness.ts'
import {normalizeRuns, normalizeSweepRuns, type NormalizedRun} from './normalize.ts'
import {sdkProblems} from './sdk-output.ts'

interface Outcome {
  run: ScenarioRun
  raw: InspectRun[]
  state: NormalizedRun[]
  artifacts: InspectArtifact[]
  sweeps: InspectSweep[]
  requests: number
  /** run id → file name → uploaded text, for the names asked for. */
  texts: Record<string, Record<string, string>>
}

interface Options {
  env?: Record<string, string>
  /** Run files to download (when present) for content checks. */
  texts?: string[]
  /** Whether the scenario leaves no run at all (disabled mode). */
  noRuns?: boolean
}

/** A run file's uploaded bytes, found as the public API finds them (files(names) → directUrl). */
async function runFileText(backend: Backend, r: InspectRun, name: string): Promise<string> {
  const data = await gqlOk(
    backend,
    `query F($p: String!, $e: String!, $r: String!, $n: [String]) {
    project(name: $p, entityName: $e) { run(name: $r) { files(names: $n) { edges { node { directUrl } } } } } }`,
    {p: r.project, e: r.entity, r: r.id, n: [name]},
  )
  const res = await fetch(data.project.run.files.edges[0].node.directUrl)
  if (!res.ok) throw new Error(`GET ${name}: HTTP ${res.status}`)
  return await res.text()
}

async function outcome(scenario: string, core: 'go' | 'nexus', runId: string, o: Options): Promise<Outcome> {
  const backend = await startBackend({quiet: true})
  try {
    const run = await runScenario(scenario, {core, backend, runId, env: o.env})
    const raw = await backend.inspectRuns()
    const texts: Outcome['texts'] = {}
    for (const r of raw) {
      texts[r.id] = {}
      for (const name of o.texts ?? []) if (r.files[name]) texts[r.id][name] = await runFileText(backend, r, name)
    }
    expect(await backend.inspectUnknown()).toEqual([])
    return {
      run,
      raw,
      texts,
      state: normalizeRuns(raw),
      artifacts: await backend.inspectArtifacts(),
      sweeps: await backend.inspectSweeps(),
      requests: (await backend.inspectRequests()).length,
    }
  } finally {
    await backend.stop()
  }
}

/** Runs the scenario with Go core, then with nexus; both must succeed and not differ in SDK complaints. */
async function both(scenario: string, o: Options = {}): Promise<{go: Outcome; nexus: Outcome}> {
  const runId = `${scenario.replace(/_/g, '')}${Math.floor(Math.random() * 1e6)}`
  const go = await outcome(scenario, 'go', runId, o)
  const nexus = await outcome(scenario, 'nexus', runId, o)
  expect(go.run.code, `go: ${go.run.stderr.slice(-2000)}`).toBe(0)
  expect(nexus.run.code, `nexus: ${nexus.run.stderr.slice(-2000)}`).toBe(0)
  if (!o.noRuns) expect(go.state.length).toBeGreaterThan(0)
  const extra = sdkProblems(nexus.run.stderr).filter((p) => !sdkProblems(go.run.stderr).includes(p))
  expect(extra).toEqual([])
  return {go, nexus}
}

/** `both`, plus equal normalised states. */
async function differential(scenario: string, o: Options = {}): Promise<{go: Outcome; nexus: Outcome}> {
  const r = await both(scenario, o)
  expect(r.nexus.state).toEqual(r.go.state)
  return r
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex')
const byId = (o: Outcome, suffix = '') => o.state.find((r) => r.id.endsWith(suffix) && (suffix !== '' || !/-\w+$/.test(r.id)))!

/** Every key of a JSON object, nested keys as dotted paths. */
function keyPaths(v: unknown, prefix = ''): string[] {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return []
  return Object.entries(v)
    .flatMap(([k, x]) => [prefix + k, ...keyPaths(x, `${prefix}${k}.`)])
    .sort()
}

describe('feature parity with Go wandb-core, through the real SDK', () => {
  test('alert: run.alert with each level reaches the server', async () => {
    const {go, nexus} = await differential('parity_alert')
    const alerts = nexus.raw[0].alerts
    expect(alerts).toEqual(go.raw[0].alerts)
    // the scenario's own inputs, in call order; the default level is INFO
    expect(alerts).toEqual([
      {title: 'Low accuracy', text: 'acc 0.12 is below 0.5', severity: 'WARN'},
      {title: 'Loss exploded', text: 'loss is NaN', severity: 'ERROR'},
      {title: 'Done', text: 'training finished', severity: 'INFO'},
    ])
  })

  test('save: a file and globs with policies now, end and live', async () => {
    const {nexus} = await differential('parity_save')
    const run = nexus.state[0]
    expect(run.summary).toMatchObject({now_seen_live: true, deep_seen_live: true, live_v1_seen_live: true, end_absent_live: true})
    expect(Object.keys(run.files)).toEqual(expect.arrayContaining(['now.txt', 'data/a.txt', 'data/b.txt', 'sub/deep.txt', 'live.txt']))
    expect(Object.keys(run.files)).not.toContain('data/skip.csv')
    expect(run.files['live.txt']).toBe(md5('live version 2, longer than the first\n'))
    expect(run.files['data/a.txt']).toBe(md5('data file a.txt\n'))
  })

  test('restore: wandb.restore reads back a file an earlier run saved', async () => {
    const {nexus} = await differential('parity_restore')
    expect(Object.keys(byId(nexus, '-src').files)).toContain('model.txt')
    expect(byId(nexus, '-dst').summary).toMatchObject({restored: 'weights: 1 2 3\n', restored_into_run_dir: true})
  })

  test('mark_preempting: the server sees the live run as preempting', async () => {
    const {nexus} = await differential('parity_preempting')
    expect(nexus.state[0].summary.saw_preempting).toBe(true)
    expect(nexus.state[0].state).toBe('finished')
  })

  test('resume: "must" continues the steps of an earlier run, "allow" creates or continues', async () => {
    const {nexus} = await differential('parity_resume')
    const main = byId(nexus)
    expect(main.history.map((h) => h._step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(main.history.map((h) => h.phase)).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3])
    expect(main.config).toMatchObject({lr: 0.1, resumed_at: 5, was_resumed: true})
    expect(main.summary).toMatchObject({first_best: 0.5, resumed_again: true, start_again: 10})
    const created = byId(nexus, '-allow')
    expect(created.summary).toMatchObject({resumed: false, start: 0})
    expect(created.summary.missing_error).not.toBe('no error')
    expect(nexus.state.map((r) => r.id).some((id) => id.endsWith('-missing'))).toBe(false)
  })

  test('media: Image from numpy, Histogram, Table, Html', async () => {
    const {go, nexus} = await differential('parity_media')
    expect(nexus.artifacts).toEqual(go.artifacts)
    expect(nexus.artifacts.map((a) => a.type)).toEqual(['run_table', 'run_table'])
    const run = nexus.state[0]
    expect(run.history).toHaveLength(2)
    const row = run.history[0] as Record<string, any>
    expect(row.image).toMatchObject({_type: 'image-file', width: 24, height: 16, format: 'png', caption: 'gradient 0'})
    expect(row.hist._type).toBe('histogram')
    expect(row.hist_np).toEqual({_type: 'histogram', bins: [0, 1, 2, 3], values: [1, 2, 3]})
    expect(row.table).toMatchObject({_type: 'table-file', nrows: 2, ncols: 3})
    expect(row.html._type).toBe('html-file')
    expect(row.images).toMatchObject({_type: 'images/separated', count: 2, captions: ['top', 'bottom']})
    const paths = run.history.flatMap((h: Record<string, any>) => [h.image.path, h.table.path, h.html.path, ...h.images.filenames])
    expect(paths).toHaveLength(10)
    for (const p of paths) expect(Object.keys(run.files)).toContain(p)
  })

  test('anonymous mode: deprecated no-op, the runs use the API key', async () => {
    const {go, nexus} = await differential('parity_anonymous')
    for (const o of [go, nexus]) expect(o.run.stderr).toContain('The anonymous setting has no effect')
    expect(nexus.state.map((r) => [r.entity, r.state])).toEqual([
      ['e2e-entity', 'finished'],
      ['e2e-entity', 'finished'],
    ])
  })

  test('disabled mode: no service process, nothing reaches the server', async () => {
    const {go, nexus} = await both('parity_disabled', {noRuns: true})
    for (const o of [go, nexus]) {
      expect(o.requests).toBe(0)
      expect(o.raw).toEqual([])
      const seen = JSON.parse(o.run.stdout.trim().split('\n').at(-1)!)
      expect(seen).toEqual({disabled: true, children: [], summary_best: 0.1})
    }
  })

  test('console logging: stdout, stderr and carriage-return progress give the same output.log', async () => {
    const {go, nexus} = await differential('parity_console', {texts: ['output.log']})
    const log = nexus.texts[nexus.raw[0].id]['output.log']
    expect(log).toBe(go.texts[go.raw[0].id]['output.log'])
    const lines = log.split('\n')
    expect(lines).toContain('progress: 100% |##########|')
    expect(lines.some((l) => l.includes('progress:   0%'))).toBe(false)
    expect(lines).toContain('unicode: héllo wörld ✓ 日本語')
    expect(lines.indexOf('a stderr line')).toBe(lines.indexOf('plain stdout line') + 1)
    expect(nexus.state[0].output).toContain('ERROR a stderr line')
    expect(lines.at(-2)).toBe('no trailing newline')
  })

  test('system metrics: stats events every 0.5 s carry the same keys', async () => {
    const {go, nexus} = await both('parity_system_metrics')
    // how many samples fit into the run depends on timing: compare everything but the count
    const withoutEvents = (o: Outcome) => o.state.map((r) => ({...r, events: 0}))
    expect(withoutEvents(nexus)).toEqual(withoutEvents(go))
    expect(nexus.state[0].summary.saw_events).toBe(true)
    const keys = (o: Outcome) => [...new Set(o.raw[0].events.flatMap((e) => Object.keys(e)))].sort()
    expect(keys(nexus)).toEqual(keys(go))
    expect(keys(nexus)).toEqual(expect.arrayContaining(['system.cpu', 'system.memory_percent', 'system.proc.memory.rssMB', '_runtime', '_timestamp']))
  }, 120_000)

  test('system info: wandb-metadata.json describes the machine like Go does', async () => {
    const {go, nexus} = await both('parity_system_info', {texts: ['wandb-metadata.json']})
    const withoutEvents = (o: Outcome) => o.state.map((r) => ({...r, events: 0}))
    expect(withoutEvents(nexus)).toEqual(withoutEvents(go))
    const meta = (o: Outcome) => JSON.parse(o.texts[o.raw.find((r) => !r.id.endsWith('-nometa'))!.id]['wandb-metadata.json'])
    const [g, n] = [meta(go), meta(nexus)]
    expect(nexus.raw.find((r) => !r.id.endsWith('-nometa'))!.summary.probed).toBe(true)
    expect(keyPaths(n)).toEqual(keyPaths(g))
    expect(keyPaths(n)).toEqual(expect.arrayContaining(['cpu_count', 'cpu_count_logical', 'memory.total', 'disk./.total', 'os', 'python', 'host']))
    // machine facts agree; run facts (startedAt, root, writerId, disk used) legitimately differ
    for (const k of ['os', 'python', 'host', 'program', 'email', 'executable', 'cpu_count', 'cpu_count_logical', 'memory', 'cpu']) expect(n[k]).toEqual(g[k])
    expect(n.disk['/'].total).toBe(g.disk['/'].total)
    expect(Object.keys(nexus.raw.find((r) => r.id.endsWith('-nometa'))!.files)).not.toContain('wandb-metadata.json')
  })

  test('settings: WANDB_RUN_GROUP, x_label, console="off", x_save_requirements', async () => {
    const {nexus} = await differential('parity_settings', {env: {WANDB_RUN_GROUP: 'env-group'}})
    expect(nexus.state.map((r) => r.group)).toEqual(['env-group', 'env-group'])
    const labelled = byId(nexus, '-label')
    expect(labelled.output).toEqual(['[worker-7] hello from a labelled run'])
    expect(Object.keys(labelled.files)).toContain('output_worker-7.log')
    const quiet = byId(nexus, '-quiet')
    expect(quiet.output).toEqual([])
    expect(Object.keys(quiet.files).filter((f) => /output|requirements|metadata/.test(f))).toEqual([])
  })

  test("default entity: without WANDB_ENTITY the run lands in the viewer's entity", async () => {
    const {nexus} = await differential('parity_default_entity')
    expect(nexus.state[0].entity).toBe(DEFAULT_VIEWER.entity)
    expect(nexus.state[0].summary.entity_seen_by_sdk).toBe(DEFAULT_VIEWER.entity)
  })

  test('team entity: entity="some-team" lands in the team', async () => {
    const {nexus} = await differential('parity_team_entity')
    expect(nexus.state.map((r) => r.entity)).toEqual(['some-team'])
    expect(nexus.state[0].summary.entity_seen_by_sdk).toBe('some-team')
  })

  test('sweeps: wandb.agent(sweep_id, function=..., count=2) runs two controller-chosen runs', async () => {
    const {go, nexus} = await both('parity_sweep')
    const sweepState = (o: Outcome) => {
      const [s] = o.sweeps
      return {
        sweep: {...s, id: '<sweep>', runs: s.runs.map((r, i) => ({...r, id: `<sweep-run-${i}>`}))},
        runs: normalizeSweepRuns(
          o.state,
          s.runs.map((r) => r.id),
        ),
      }
    }
    expect(go.sweeps).toHaveLength(1)
    expect(nexus.sweeps).toHaveLength(1)
    expect(sweepState(nexus)).toEqual(sweepState(go))
    const {sweep, runs} = sweepState(nexus)
    expect(sweep.method).toBe('grid')
    // grid order over lr's values, the first two of three
    expect(sweep.runs.map((r) => [r.config.lr, r.state])).toEqual([
      [0.1, 'finished'],
      [0.01, 'finished'],
    ])
    for (const r of runs) {
      expect(r.sweep).toBe('<sweep>')
      expect(r.summary.final).toBe((r.config.lr as number) * 2)
      expect(r.history).toHaveLength(3)
    }
  })
})
