/**
 * Sweeps run without Python on the nexus side (the compiled binary), with a real training script
 * on the real SDK (itself on nexus, through the test overlay): the local controller
 * (`nexus sweep --controller` with `nexus agent`), and an air-gapped sweep (`nexus sweep --offline`,
 * `nexus agent --offline`, then `nexus sync`), checked in the local backend's state.
 */
import {afterEach, describe, expect, test} from 'bun:test'
import {copyFileSync, readdirSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {startBackend, type Backend} from '../backend/index.ts'
import {TempHome} from '../core/credentials/helpers.ts'
import {nexusOverlay} from '../e2e/harness.ts'
import {hostBinary} from '../helpers/binary.ts'
import {PYTHON} from '../helpers/python.ts'
import {nexus} from './helpers.ts'

const open: {homes: TempHome[]; backends: Backend[]; procs: {kill(): void}[]} = {homes: [], backends: [], procs: []}
afterEach(async () => {
  for (const p of open.procs.splice(0)) p.kill()
  for (const b of open.backends.splice(0)) await b.stop()
  for (const h of open.homes.splice(0)) h.dispose()
})

async function workspace(config: string) {
  const backend = await startBackend({quiet: true})
  const home = new TempHome()
  open.backends.push(backend)
  open.homes.push(home)
  copyFileSync(join(import.meta.dir, '..', 'backend', 'scenarios', 'sweep_train.py'), join(home.work, 'sweep_train.py'))
  writeFileSync(join(home.work, 'sweep.yaml'), config)
  const env = {
    WANDB_BASE_URL: backend.url,
    WANDB_API_KEY: backend.apiKey,
    // the agent runs `python sweep_train.py` with the venv's python, whose SDK runs on nexus
    PATH: `${dirname(PYTHON)}:${process.env.PATH ?? ''}`,
    VIRTUAL_ENV: dirname(dirname(PYTHON)),
    PYTHONPATH: nexusOverlay(),
    NEXUS_CONTROLLER_INTERVAL: '0.3',
  }
  return {backend, home, env}
}

describe('local controller', () => {
  test('nexus sweep --controller random.yaml with nexus agent --count 3: three finished runs with distinct in-range points', async () => {
    const w = await workspace('program: sweep_train.py\nmethod: random\nmetric: {name: loss, goal: minimize}\nparameters:\n  lr: {min: 0.001, max: 0.1}\n  layers: {values: [1, 2, 3]}\n')
    const controller = Bun.spawn([hostBinary(), 'sweep', '--controller', '-p', 'ctl', 'sweep.yaml'], {
      cwd: w.home.work,
      env: w.home.processEnv(w.env) as Record<string, string>,
      stdout: 'pipe',
      stderr: 'pipe',
    })
    open.procs.push(controller)
    const stderr = controller.stderr.getReader()
    let err = ''
    let id: string | undefined
    while (!id) {
      const chunk = await stderr.read()
      if (chunk.done) break
      err += new TextDecoder().decode(chunk.value)
      id = /Creating sweep with ID: (\w+)/.exec(err)?.[1]
    }
    expect(id).toBeDefined()
    const agent = await nexus(w.home, ['agent', '--count', '3', `nexus/ctl/${id}`], {env: w.env})
    expect(agent.code).toBe(0)
    // the sweep is still running (random never ends): stopping it ends the controller
    const stop = await nexus(w.home, ['sweep', '--stop', `nexus/ctl/${id}`], {env: w.env})
    expect(stop.code).toBe(0)
    const [code, out] = await Promise.all([controller.exited, new Response(controller.stdout).text()])
    expect(code).toBe(0)
    expect(out).toContain(`Sweep: ${id} (random) | Runs: 3 (Finished: 3)`)
    const [sweep] = await w.backend.inspectSweeps()
    expect(sweep).toMatchObject({id, project: 'ctl', state: 'FINISHED'})
    expect(sweep.runs.map((r) => r.state)).toEqual(['finished', 'finished', 'finished'])
    const points = sweep.runs.map((r) => r.config as {lr: number; layers: number})
    for (const p of points) {
      expect(p.lr).toBeGreaterThanOrEqual(0.001)
      expect(p.lr).toBeLessThanOrEqual(0.1)
      expect([1, 2, 3]).toContain(p.layers)
    }
    expect(new Set(points.map((p) => p.lr)).size).toBe(3)
    expect(await w.backend.inspectUnknown()).toEqual([])
  }, 300_000)
})

describe('air-gapped sweep', () => {
  test('nexus sweep --offline (2×2 grid), nexus agent --offline --count 4, then nexus sync: four runs in one sweep, the four points', async () => {
    const w = await workspace('program: sweep_train.py\nmethod: grid\nmetric: {name: loss, goal: minimize}\nparameters:\n  lr: {values: [0.1, 0.01]}\n  layers: {values: [1, 2]}\n')
    // no server at all while the sweep runs
    const offline = {...w.env, WANDB_BASE_URL: 'http://127.0.0.1:9', WANDB_API_KEY: ''}
    const created = await nexus(w.home, ['sweep', '--offline', '-p', 'airgap', 'sweep.yaml'], {env: offline})
    expect(created.code).toBe(0)
    const id = /Creating sweep with ID: (\w+)/.exec(created.stderr)?.[1] as string
    expect(created.stderr).toContain(`Run sweep agent with: nexus agent --offline ${id}`)
    const agent = await nexus(w.home, ['agent', '--offline', id, '--count', '4', '--json'], {env: offline})
    expect(agent.code).toBe(0)
    const summary = JSON.parse(agent.stdout)
    expect(summary).toMatchObject({schema: 1, sweep: {id, project: 'airgap'}, offline: true, exitCode: 0})
    expect(summary.runs.map((r: {exitCode: number}) => r.exitCode)).toEqual([0, 0, 0, 0])
    const wandbDir = join(w.home.work, 'wandb')
    const runDirs = readdirSync(wandbDir)
      .filter((n) => n.startsWith('offline-run-'))
      .map((n) => join(wandbDir, n))
    expect(runDirs).toHaveLength(4)
    expect(await w.backend.inspectRuns()).toEqual([])

    // the trials are synced in two batches (as when agents of an array job finish at different times): one sweep
    const first = await nexus(w.home, ['sync', ...runDirs.slice(0, 2)], {env: w.env})
    expect(first.code).toBe(0)
    expect(first.text).toContain(`for offline sweep ${id}`)
    expect(await w.backend.inspectSweeps()).toHaveLength(1)
    const second = await nexus(w.home, ['sync', ...runDirs.slice(2)], {env: w.env})
    expect(second.code).toBe(0)
    const sweeps = await w.backend.inspectSweeps()
    expect(sweeps).toHaveLength(1)
    expect(sweeps[0]).toMatchObject({project: 'airgap', method: 'grid', state: 'FINISHED'})
    expect(sweeps[0].config).toMatchObject({program: 'sweep_train.py', parameters: {lr: {values: [0.1, 0.01]}, layers: {values: [1, 2]}}})
    expect(sweeps[0].runs.map((r) => r.state)).toEqual(['finished', 'finished', 'finished', 'finished'])
    const points = sweeps[0].runs.map((r) => JSON.stringify([(r.config as {lr: number}).lr, (r.config as {layers: number}).layers])).sort()
    expect(points).toEqual(['[0.01,1]', '[0.01,2]', '[0.1,1]', '[0.1,2]'])
    const runs = await w.backend.inspectRuns()
    expect(runs).toHaveLength(4)
    expect(runs.every((r) => r.sweep === sweeps[0].id && r.history.length === 5)).toBe(true)
    expect(await w.backend.inspectUnknown()).toEqual([])
  }, 300_000)
})
