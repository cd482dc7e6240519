/**
 * The scheduling loop against an in-memory backend and a manual clock: warm start, the ask
 * budget, enqueue and the immediate report, polling, exhaustion, pause, run cap, deletion,
 * rate limits, pruning, optimizer errors and stop.
 */
import {describe, expect, test} from 'bun:test'
import {Scheduler} from '../../../../src/core/sweeps/scheduler/index.ts'
import {AskOutcome, DoneReason, SweepRunState, type Task, type TaskResult} from '../../../../src/core/sweeps/scheduler/protocol.ts'
import {ManualClock} from '../../../fakes/manual-clock.ts'
import {RecordingLogger} from '../../../fakes/recording-logger.ts'
import {FakeBackend} from './fake-backend.ts'

const POLL_MS = 5000

function setup(o: {batchSize?: number; runCap?: number} = {}) {
  const backend = new FakeBackend()
  const clock = new ManualClock()
  const logger = new RecordingLogger()
  const scheduler = new Scheduler({
    backend,
    logger,
    clock,
    sweepNodeId: 'U3dlZXA6MQ==',
    metricKeys: ['loss'],
    batchSize: o.batchSize ?? 2,
    runCap: o.runCap ?? 0,
    pollIntervalMs: POLL_MS,
  })
  const signal = new AbortController().signal
  /** One step; when it sleeps, the clock is advanced past the poll interval. */
  const step = async (result?: TaskResult): Promise<Task> => {
    const pending = scheduler.step(signal, result)
    let task: Task | undefined
    void pending.then((t) => (task = t))
    for (let i = 0; i < 20 && task === undefined; i++) {
      await clock.advance(0)
      if (task === undefined && clock.sleeping > 0) await clock.advance(POLL_MS)
    }
    return pending
  }
  return {backend, clock, logger, scheduler, step}
}

const warmOk = (seq: bigint, adoptions: Record<string, string> = {}): TaskResult => ({task_seq: seq, result: {oneofKind: 'warm_start', warm_start: {adoptions, skipped: []}}})

function suggest(seq: bigint, configs: Array<[string, Record<string, unknown>]>): TaskResult {
  return {
    task_seq: seq,
    result: {
      oneofKind: 'generation',
      generation: {
        ask_outcome: AskOutcome.SUGGESTED,
        suggestions: configs.map(([id, c]) => ({optimizer_run_id: id, config_json: JSON.stringify(c)})),
        prune: [],
        terminate: false,
        tell_errors: [],
      },
    },
  }
}

function genResult(seq: bigint, fields: Partial<{ask_outcome: AskOutcome; prune: string[]; terminate: boolean}> = {}): TaskResult {
  return {task_seq: seq, result: {oneofKind: 'generation', generation: {ask_outcome: AskOutcome.UNSPECIFIED, suggestions: [], prune: [], terminate: false, tell_errors: [], ...fields}}}
}

function generation(task: Task) {
  if (task.task.oneofKind !== 'generation') throw new Error(`expected a generation task, got ${task.task.oneofKind}`)
  return task.task.generation
}

function done(task: Task) {
  if (task.task.oneofKind !== 'done') throw new Error(`expected a done task, got ${task.task.oneofKind}`)
  return task.task.done
}

describe('Scheduler', () => {
  test('warm start reports prior runs as finished or active; an adopted run holds a batch slot', async () => {
    const {backend, step} = setup({batchSize: 2})
    backend.runs.push(
      {name: 'a', state: 'finished', config: {lr: {value: 0.1}}, summary: {loss: 1}},
      {name: 'b', state: 'finished', config: {lr: {value: 0.2}}}, // no objective: a failure
      {name: 'c', state: 'running', config: {lr: {value: 0.3}}},
    )
    const first = await step()
    expect(first.task.oneofKind).toBe('warm_start')
    const warm = first.task.oneofKind === 'warm_start' ? first.task.warm_start : undefined
    expect(warm?.has_more).toBe(false)
    expect(warm?.finished_runs.map((r) => [r.wandb_run_id, r.state, r.config_json])).toEqual([
      ['a', SweepRunState.FINISHED, '{"lr":0.1}'],
      ['b', SweepRunState.FAILED, '{"lr":0.2}'],
    ])
    expect(warm?.finished_runs[0].summary_json).toBe('{"loss":1}')
    expect(warm?.active_runs.map((r) => [r.wandb_run_id, r.state])).toEqual([['c', SweepRunState.RUNNING]])

    const gen = generation(await step(warmOk(1n, {c: 'opt-c'})))
    expect(gen.updates.map((u) => [u.run?.wandb_run_id, u.run?.optimizer_run_id, u.run?.state])).toEqual([['c', 'opt-c', SweepRunState.RUNNING]])
    expect(gen.ask_up_to).toBe(1)
    expect(gen.prune_candidates).toEqual(['opt-c'])
  })

  test('suggestions are enqueued in wire form, reported at once, then polled until exhausted; the sweep is marked FINISHED', async () => {
    const {backend, step} = setup({batchSize: 2})
    await step()
    const gen1 = generation(await step(warmOk(1n)))
    expect(gen1.ask_up_to).toBe(2)

    const report = generation(
      await step(
        suggest(2n, [
          ['s0', {lr: 0.1, layers: 1}],
          ['s1', {lr: 0.01, layers: 1}],
        ]),
      ),
    )
    expect(backend.run('run-1').config).toEqual({layers: {value: 1}, lr: {value: 0.1}})
    expect(report.updates.map((u) => [u.run?.wandb_run_id, u.run?.optimizer_run_id, u.run?.state])).toEqual([
      ['run-1', 's0', SweepRunState.PENDING],
      ['run-2', 's1', SweepRunState.PENDING],
    ])
    expect(report.ask_up_to).toBe(0)

    backend.run('run-1').state = 'finished'
    backend.run('run-1').summary = {loss: 0.5}
    const gen2 = generation(await step(genResult(3n)))
    expect(gen2.updates.map((u) => [u.run?.wandb_run_id, u.run?.state])).toEqual([
      ['run-1', SweepRunState.FINISHED],
      ['run-2', SweepRunState.PENDING],
    ])
    expect(gen2.ask_up_to).toBe(1)
    expect(gen2.prune_candidates).toEqual(['s1'])

    // exhausted while run-2 is still out: no Done yet, and no more asks
    const waiting = generation(await step(genResult(4n, {ask_outcome: AskOutcome.EXHAUSTED})))
    expect(waiting.ask_up_to).toBe(0)
    expect(backend.sweepState).toBe('RUNNING')

    backend.run('run-2').state = 'finished'
    backend.run('run-2').summary = {loss: 0.2}
    const last = generation(await step(genResult(5n)))
    expect(last.updates.map((u) => [u.run?.wandb_run_id, u.run?.state])).toEqual([['run-2', SweepRunState.FINISHED]])
    const end = done(await step(genResult(6n)))
    expect(end).toEqual({reason: DoneReason.SWEEP_FINISHED, message: 'the search space is exhausted'})
    expect(backend.sweepState).toBe('FINISHED')
  })

  test('a paused sweep discards new suggestions; the next task reports them', async () => {
    const {backend, step} = setup()
    await step()
    await step(warmOk(1n))
    backend.sweepState = 'PAUSED'
    const paused = generation(await step(suggest(2n, [['s0', {lr: 1}]])))
    expect(backend.calls).not.toContain('enqueueRun')
    expect(paused.discarded_optimizer_run_ids).toEqual(['s0'])
    expect(paused.ask_up_to).toBe(0)
  })

  test('the run cap counts finished runs and ends the sweep', async () => {
    const {backend, step} = setup({runCap: 1})
    backend.runs.push({name: 'a', state: 'finished', config: {}, summary: {loss: 1}})
    await step()
    const end = done(await step(warmOk(1n)))
    expect(end).toEqual({reason: DoneReason.SWEEP_FINISHED, message: 'the run cap was hit'})
    expect(backend.sweepState).toBe('FINISHED')
  })

  test('a canceled sweep ends the loop as terminated, a deleted one as not found', async () => {
    const a = setup()
    await a.step()
    a.backend.sweepState = 'CANCELED'
    expect(done(await a.step(warmOk(1n)))).toEqual({reason: DoneReason.TERMINATED, message: 'the sweep is CANCELED'})

    const b = setup()
    await b.step()
    b.backend.failNext.set('fetchSweep', 'not-found')
    expect(done(await b.step(warmOk(1n)))).toEqual({reason: DoneReason.SWEEP_NOT_FOUND, message: 'the sweep was deleted'})
  })

  test('a rate-limited poll gives an empty task and slows the next poll down by 1 s; a fatal one ends the loop', async () => {
    const {backend, clock, scheduler, step} = setup()
    await step()
    backend.failNext.set('fetchSweep', 'rate-limited')
    const pollStarted = clock.now()
    let first: Task | undefined
    void scheduler.step(new AbortController().signal, warmOk(1n)).then((t) => (first = t))
    for (let i = 0; i < 10 && !first; i++) await clock.advance(0) // its wait is 0 ms: no poll yet
    const empty = generation(first as Task)
    expect(empty.updates).toEqual([])
    expect(empty.ask_up_to).toBe(0)

    let next: Task | undefined
    void scheduler.step(new AbortController().signal, genResult(2n)).then((t) => (next = t))
    await clock.whenSleeping(1)
    await clock.advance(pollStarted + POLL_MS - clock.now())
    expect(next).toBeUndefined() // the interval alone is not enough
    await clock.advance(1000)
    expect(generation(next as Task).ask_up_to).toBe(2)

    backend.failNext.set('fetchSweep', 'fatal')
    expect(done(await step(genResult(3n)))).toEqual({reason: DoneReason.FATAL_ERROR, message: 'fetchSweep failed (fatal)'})
  })

  test('a run missing from the poll is failed only once the backend confirms it is gone', async () => {
    const {backend, step} = setup({batchSize: 1})
    await step()
    await step(warmOk(1n))
    await step(suggest(2n, [['s0', {lr: 1}]]))
    backend.runs.splice(0, backend.runs.length)
    const gen = generation(await step(genResult(3n)))
    expect(backend.calls).toContain('confirmRunExists')
    expect(gen.updates.map((u) => [u.run?.wandb_run_id, u.run?.state, u.run?.config_json])).toEqual([['run-1', SweepRunState.FAILED, '{}']])
  })

  test('pruned candidates are stopped through their storage id and retired', async () => {
    const {backend, step} = setup({batchSize: 1})
    await step()
    await step(warmOk(1n))
    await step(suggest(2n, [['s0', {lr: 1}]]))
    backend.run('run-1').state = 'running'
    const gen = generation(await step(genResult(3n)))
    expect(gen.prune_candidates).toEqual(['s0'])
    const next = generation(await step(genResult(4n, {prune: ['s0', 'not-offered']})))
    expect(backend.stopped).toEqual(['id-run-1'])
    // retired: no longer polled or reported, and its slot is free again
    expect(next.updates).toEqual([])
    expect(next.ask_up_to).toBe(1)
  })

  test('an optimizer error ends the loop with its message; terminate finishes the sweep', async () => {
    const a = setup()
    await a.step()
    const failed = done(await a.step({task_seq: 1n, result: {oneofKind: 'error', error: {message: 'boom', traceback: 'tb'}}}))
    expect(failed).toEqual({reason: DoneReason.OPTIMIZER_ERROR, message: 'boom'})
    expect(a.backend.sweepState).toBe('RUNNING')

    const b = setup()
    await b.step()
    await b.step(warmOk(1n))
    expect(done(await b.step(genResult(2n, {terminate: true})))).toEqual({reason: DoneReason.SWEEP_FINISHED, message: 'the optimizer ended the sweep'})
    expect(b.backend.sweepState).toBe('FINISHED')
  })

  test('stop() ends a step that is waiting out the poll interval with Done(SHUTDOWN)', async () => {
    const {clock, scheduler, step} = setup()
    await step()
    await step(warmOk(1n))
    const waiting = scheduler.step(new AbortController().signal, genResult(2n))
    await clock.whenSleeping(1)
    scheduler.stop()
    expect(done(await waiting)).toEqual({reason: DoneReason.SHUTDOWN, message: ''})
  })

  test('a poll interval under 5 s is clamped, with a warning', () => {
    const logger = new RecordingLogger()
    new Scheduler({backend: new FakeBackend(), logger, clock: new ManualClock(), sweepNodeId: 'x', metricKeys: ['m'], batchSize: 1, runCap: 0, pollIntervalMs: 1000})
    expect(logger.find('warn', 'scheduler: poll interval below the floor')).toHaveLength(1)
  })
})
