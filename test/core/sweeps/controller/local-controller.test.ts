/**
 * The local controller against a scripted server (ControllerBackend) and a scripted search: what
 * it writes into the sweep's `controller` state step by step, as wandb_controller.py does.
 */
import {describe, expect, test} from 'bun:test'
import {
  LocalController,
  LocalControllerError,
  SweepNotFoundError,
  type ControllerBackend,
  type ControllerState,
  type SweepRun,
  type SweepSearch,
  type SweepSnapshot,
} from '../../../../src/core/sweeps/index.ts'

type Run = SweepSnapshot['runs'][number]
const run = (name: string, state: Run['state'], a: number, extra: Partial<Run> = {}): Run => ({
  name,
  state,
  config: {a: {value: a}},
  summaryMetrics: {},
  history: [],
  stopped: false,
  shouldStop: false,
  ...extra,
})

/** A server whose sweep the test changes between steps; records every controller write. */
function server(config: Record<string, unknown>) {
  const sweep: SweepSnapshot = {objId: 'obj1', name: 'sw1', state: 'PENDING', config, controller: {}, scheduler: {}, runs: []}
  const writes: ControllerState[] = []
  const reads: (string | undefined)[] = []
  const backend: ControllerBackend = {
    read: async (metric) => {
      reads.push(metric)
      return structuredClone(sweep)
    },
    writeController: async (_s, c) => {
      writes.push(structuredClone(c))
      sweep.controller = structuredClone(c)
    },
  }
  return {sweep, writes, reads, backend}
}

/** A search that proposes a = 1, 2, … up to `limit`, skipping values some run has. */
function counting(limit: number, stop: (runs: SweepRun[]) => SweepRun[] = () => []): SweepSearch {
  return {
    nextRun: (_c, runs) => {
      const used = new Set(runs.map((r) => r.config.a?.value))
      for (let a = 1; a <= limit; a++) if (!used.has(a)) return {name: '', state: 'pending', config: {a: {value: a}}, summaryMetrics: {}, history: []}
      return null
    },
    stopRuns: (_c, runs) => stop(runs),
  }
}

const LOCAL = {method: 'grid', controller: {type: 'local'}, metric: {name: 'loss', goal: 'minimize'}, parameters: {a: {values: [1, 2]}}}

describe('LocalController', () => {
  test('starts from an empty controller state, then schedules one run at a time and drops entries the server turned into runs', async () => {
    const s = server(LOCAL)
    let seq = 0
    const c = new LocalController({backend: s.backend, search: counting(2), out: {line: () => {}}, path: 'e/p/sw1', finish: async () => {}, rng: () => (seq++ % 36) / 36})
    // a step before run(): schedules a=1 (run() would first reset the state to {})
    await c.step()
    expect(s.writes[0]).toEqual({schedule: [{id: expect.any(String), data: {args: {a: {value: 1}}}}], earlystop: []})
    const first = s.writes[0].schedule?.[0].id as string
    expect(first).toMatch(/^[a-z0-9]{10}$/)
    // the server has not acted: the next step writes nothing new
    await c.step()
    expect(s.writes).toHaveLength(1)
    // the server scheduled it as run r1, which is running: the entry is dropped and a=2 scheduled
    s.sweep.scheduler = {scheduled: [{id: first, runid: 'r1'}]}
    s.sweep.runs = [run('r1', 'running', 1)]
    await c.step()
    expect(s.writes.at(-1)?.schedule?.map((e) => e.data.args)).toEqual([{a: {value: 2}}])
    expect(s.reads).toEqual([undefined, 'loss', 'loss'])
  })

  test('run(): a sweep without a local controller is refused; a missing sweep is named', async () => {
    const s = server({method: 'grid', parameters: {a: {values: [1]}}})
    const refused = new LocalController({backend: s.backend, search: counting(1), out: {line: () => {}}, path: 'e/p/sw1', finish: async () => {}})
    const err = await refused.run().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(LocalControllerError)
    expect((err as LocalControllerError).userText).toContain('Only sweeps with a local controller are currently supported')
    const gone: ControllerBackend = {read: async () => null, writeController: async () => {}}
    const missing = await new LocalController({backend: gone, search: counting(1), out: {line: () => {}}, path: 'e/p/nope', finish: async () => {}}).run().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(missing).toBeInstanceOf(SweepNotFoundError)
  })

  test('run(): prints the status line when it changes, asks the policy to stop runs, and finishes an exhausted sweep with nothing in flight', async () => {
    const s = server({...LOCAL, early_terminate: {type: 'hyperband', min_iter: 1}})
    const lines: string[] = []
    const finished: string[] = []
    let steps = 0
    const c = new LocalController({
      backend: s.backend,
      out: {line: (l) => lines.push(l)},
      path: 'e/p/sw1',
      verbose: true,
      search: counting(1, (runs) => runs.filter((r) => r.name === 'r1' && r.state === 'running')),
      finish: async (sweep) => {
        finished.push(sweep.name)
      },
      sleep: async () => {
        steps++
        // step 1 scheduled a=1; the server runs it as r1; step 2 asks to stop r1; then r1 is killed
        if (steps === 1) {
          s.sweep.scheduler = {scheduled: [{id: s.sweep.controller.schedule?.[0].id, runid: 'r1'}]}
          s.sweep.runs = [run('r1', 'running', 1)]
        } else if (steps === 2) {
          s.sweep.runs = [run('r1', 'killed', 1, {stopped: true})]
        }
      },
    })
    expect(await c.run()).toBe('exhausted')
    expect(finished).toEqual(['sw1'])
    expect(s.writes.some((w) => JSON.stringify(w.earlystop) === '["r1"]')).toBe(true)
    expect(lines).toContain('Sweep: sw1 (grid,hyperband) | Runs: 0')
    expect(lines).toContain('Sweep: sw1 (grid,hyperband) | Runs: 1 (Running: 1)')
    expect(lines).toContain('INFO: Schedule (a=1)')
    expect(lines).toContain('INFO: Stop (r1)')
    expect(lines.at(-1)).toContain('the search is exhausted and no run is in flight')
  })

  test('run(): ends when the sweep is no longer pending or running', async () => {
    const s = server(LOCAL)
    const c = new LocalController({
      backend: s.backend,
      search: counting(5),
      out: {line: () => {}},
      path: 'e/p/sw1',
      finish: async () => {},
      sleep: async () => {
        s.sweep.state = 'FINISHED'
      },
    })
    expect(await c.run()).toBe('sweep-ended')
  })
})
