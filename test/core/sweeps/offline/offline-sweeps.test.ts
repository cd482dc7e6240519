/**
 * Offline sweeps on disk: the sweep folder, agents sharing it (a grid point runs once across
 * agents), run_cap, a trial's results read from its offline run folder, and the history tail of a
 * live trial's .wandb log.
 */
import {afterEach, describe, expect, test} from 'bun:test'
import {mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Record as ProtoRecord} from '../../../../src/core/proto.ts'
import {HistoryTail, OfflineCommandSource, OfflineSweepNotFoundError, OfflineSweepStore, SWEEPS_SEARCH, SweepConfigError, createOfflineSweep} from '../../../../src/core/sweeps/index.ts'
import {TransactionLogWriter} from '../../../../src/core/txlog/index.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, {recursive: true, force: true})
})

function workspace(config: string) {
  const root = mkdtempSync(join(tmpdir(), 'nexus-offline-sweep-'))
  dirs.push(root)
  writeFileSync(join(root, 'sweep.yaml'), config)
  const lines: string[] = []
  const wandbDir = join(root, 'wandb')
  let n = 0
  const created = createOfflineSweep({
    configPath: join(root, 'sweep.yaml'),
    wandbDir,
    cwd: root,
    env: {},
    gitRoot: () => undefined,
    defaults: {},
    out: {info: (l) => lines.push(l), warn: (l) => lines.push(`WARNING ${l}`)},
    newId: () => `sweep${n++}`,
  })
  const source = (host: string) => {
    let runs = 0
    return new OfflineCommandSource({store: OfflineSweepStore.open(wandbDir, created.id), wandbDir, search: SWEEPS_SEARCH, newRunId: () => `${host}r${runs++}`, host})
  }
  return {root, wandbDir, created, lines, source}
}

const GRID = 'method: grid\nprogram: train.py\nparameters:\n  lr: {values: [0.1, 0.01]}\n  layers: {values: [1, 2]}\n'

describe('offline sweeps', () => {
  test('nexus sweep --offline: the online lines, a sweep folder with the config and the project', () => {
    const w = workspace(GRID)
    expect(w.lines).toEqual([
      `Creating sweep from: ${join(w.root, 'sweep.yaml')}`,
      'Creating sweep with ID: sweep0',
      `Offline sweep saved in: ${join(w.wandbDir, 'offline-sweep-sweep0')}`,
      'Run sweep agent with: nexus agent --offline sweep0',
    ])
    const store = OfflineSweepStore.open(w.wandbDir, 'sweep0')
    expect(store.info).toMatchObject({id: 'sweep0', project: 'uncategorized', entity: null, config: {method: 'grid', program: 'train.py'}})
    expect(store.info.configYaml).toContain('method: grid')
  })

  test('two agents on one sweep run each grid point once, then both exit', async () => {
    const w = workspace(GRID)
    const a = w.source('a')
    const b = w.source('b')
    await Promise.all([a.start(), b.start()])
    const points: string[] = []
    const live: Record<string, Record<string, boolean>> = {a: {}, b: {}}
    for (let round = 0; round < 3; round++) {
      for (const [name, src] of [
        ['a', a],
        ['b', b],
      ] as const) {
        const cmds = await src.heartbeat(live[name])
        for (const c of cmds) {
          if (c.type === 'run') {
            expect(c.program).toBe('train.py')
            points.push(JSON.stringify([c.args.lr.value, c.args.layers.value]))
            live[name] = {[c.runId]: true}
          }
        }
        // the trial ends before this agent's next heartbeat
        for (const id of Object.keys(live[name])) await src.trialEnded(id, 0)
        live[name] = {}
      }
    }
    expect(points.sort()).toEqual(['[0.01,1]', '[0.01,2]', '[0.1,1]', '[0.1,2]'])
    expect(await a.heartbeat({})).toEqual([{type: 'exit'}])
    expect(await b.heartbeat({})).toEqual([{type: 'exit'}])
    const trials = OfflineSweepStore.open(w.wandbDir, 'sweep0').trials()
    expect(trials.map((t) => t.state)).toEqual(['finished', 'finished', 'finished', 'finished'])
    expect(readdirSync(join(w.wandbDir, 'offline-sweep-sweep0', 'claims'))).toHaveLength(4)
  })

  test("a live trial gets no new run; run_cap counts every agent's trials; a trial's end reads its summary", async () => {
    const w = workspace('method: random\nrun_cap: 2\nmetric: {name: loss, goal: minimize}\nparameters:\n  lr: {min: 0.0, max: 1.0}\n')
    const src = w.source('h')
    const [first] = await src.heartbeat({})
    expect(first.type).toBe('run')
    const runId = (first as {runId: string}).runId
    expect(await src.heartbeat({[runId]: true})).toEqual([])
    const runDir = join(w.wandbDir, `offline-run-20261208_010101-${runId}`)
    mkdirSync(join(runDir, 'files'), {recursive: true})
    writeFileSync(join(runDir, 'files', 'wandb-summary.json'), '{"loss": 0.25, "_step": 4}')
    await src.trialEnded(runId, 0)
    const [trial] = OfflineSweepStore.open(w.wandbDir, 'sweep0').trials()
    expect(trial).toMatchObject({runId, state: 'finished', exitCode: 0, summary: {loss: 0.25, _step: 4}})
    const [second] = await src.heartbeat({})
    expect(second.type).toBe('run')
    await src.trialEnded((second as {runId: string}).runId, 1)
    expect(
      OfflineSweepStore.open(w.wandbDir, 'sweep0')
        .trials()
        .map((t) => t.state),
    ).toEqual(['finished', 'failed'])
    expect(await w.source('other').heartbeat({})).toEqual([{type: 'exit'}])
    expect(src.trialEnv()).toEqual({WANDB_MODE: 'offline', WANDB_PROJECT: 'uncategorized'})
  })

  test('an unknown or path-like sweep id is refused and the known ones are named; a bad config names the problem', () => {
    const w = workspace(GRID)
    for (const id of ['nope', '../offline-sweep-sweep0', '']) {
      const err = (() => {
        try {
          OfflineSweepStore.open(w.wandbDir, id)
        } catch (e) {
          return e
        }
      })()
      expect(err).toBeInstanceOf(OfflineSweepNotFoundError)
      expect((err as OfflineSweepNotFoundError).userText).toContain('Offline sweeps there: sweep0.')
    }
    expect(() => workspace('method: grid\nparameters:\n  lr: {distribution: nope, values: [1]}\n')).toThrow(SweepConfigError)
  })

  test('the history tail of a live trial reads only what was logged since the last read', () => {
    const w = workspace(GRID)
    const runDir = join(w.wandbDir, 'offline-run-x-r1')
    mkdirSync(runDir, {recursive: true})
    const log = TransactionLogWriter.open(join(runDir, 'run-r1.wandb'))
    const step = (n: number, loss: number) =>
      ProtoRecord.toBinary(
        ProtoRecord.create({
          record_type: {
            oneofKind: 'history',
            history: {
              item: [
                {key: 'loss', nested_key: [], value_json: String(loss), value: {oneofKind: undefined}},
                {key: 'other', nested_key: [], value_json: '1', value: {oneofKind: undefined}},
              ],
              step: {num: BigInt(n)},
            },
          },
        }),
      )
    log.write(step(0, 1.5))
    log.flush()
    const tail = new HistoryTail(runDir, 'r1', ['loss'])
    expect(tail.rows()).toEqual([{loss: 1.5, _step: 0}])
    log.write(step(1, 0.5))
    log.flush()
    expect(tail.rows()).toEqual([
      {loss: 1.5, _step: 0},
      {loss: 0.5, _step: 1},
    ])
    log.close()
  })
})
