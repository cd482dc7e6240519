/**
 * The session side of the scheduler: task numbering and result checks (SessionStateMachine),
 * sessions per sweep and their lifetime (SessionBroker), and the pure helpers (loop settings,
 * config forms, Go-worded error texts).
 */
import {describe, expect, test} from 'bun:test'
import {AlreadyScheduledError, SessionBroker, SessionStateMachine, historySpecs, httpErrorText, retriesExhaustedText, type TaskResolver} from '../../../../src/core/sweeps/scheduler/index.ts'
import {DoneReason, doneTask, generationTask, type InitRequest, type Task, type TaskResult} from '../../../../src/core/sweeps/scheduler/protocol.ts'
import {flattenWireConfig, wrapFlatConfig, summaryHasAllMetrics} from '../../../../src/core/sweeps/scheduler/run-states.ts'
import {parseLoopSettings} from '../../../../src/core/sweeps/scheduler/sweep-settings.ts'
import {RecordingLogger} from '../../../fakes/recording-logger.ts'

/** A resolver that hands out the queued tasks and records the results it was given. */
class ScriptedResolver implements TaskResolver {
  readonly results: Array<TaskResult | undefined> = []
  stopped = 0
  constructor(private readonly tasks: Task[]) {}
  async step(_signal: AbortSignal, result: TaskResult | undefined): Promise<Task> {
    this.results.push(result)
    return this.tasks.shift() ?? doneTask(DoneReason.SHUTDOWN)
  }
  stop(): void {
    this.stopped++
  }
}

const live = () => new AbortController().signal
const result = (seq: bigint): TaskResult => ({task_seq: seq, result: {oneofKind: undefined}})
const gen = () => generationTask([], [], 1, [])

describe('SessionStateMachine', () => {
  test('numbers tasks, passes each result on, and redelivers the Done task to every later poll', async () => {
    const resolver = new ScriptedResolver([gen(), doneTask(DoneReason.SWEEP_FINISHED, 'x')])
    const machine = new SessionStateMachine(resolver, new RecordingLogger())
    const first = await machine.nextTask(live(), undefined)
    expect(first?.task_seq).toBe(1n)
    const second = await machine.nextTask(live(), result(1n))
    expect(second?.task_seq).toBe(2n)
    expect(second?.task.oneofKind).toBe('done')
    expect(await machine.nextTask(live(), result(2n))).toBe(second as Task)
    expect(resolver.results).toEqual([undefined, result(1n)])
  })

  test('a result for the wrong task ends the session out of sync; an abandoned poll gets nothing', async () => {
    const resolver = new ScriptedResolver([gen(), gen()])
    const machine = new SessionStateMachine(resolver, new RecordingLogger())
    const gone = new AbortController()
    gone.abort()
    expect(await machine.nextTask(gone.signal, undefined)).toBeUndefined()
    await machine.nextTask(live(), undefined)
    const done = await machine.nextTask(live(), result(7n))
    expect(done?.task).toEqual({
      oneofKind: 'done',
      done: {
        reason: DoneReason.FATAL_ERROR,
        message: 'the scheduler and this client are out of sync: a poll reported a result for task 7, but task 1 is awaiting one. Rerun the scheduler to resume the sweep.',
      },
    })
    expect(resolver.results).toHaveLength(1)
  })
})

const init = (sweep: string): InitRequest => ({entity: 'e', project: 'p', sweep_id: sweep, batch_size: 1, poll_interval_seconds: 5})

function broker(resolvers: ScriptedResolver[]) {
  const logger = new RecordingLogger()
  return new SessionBroker(
    async () => ({
      resolver: resolvers.shift() as ScriptedResolver,
      response: {session_id: '', sweep_config: 'c', display_name: 'd', controller_run_name: 'r'},
    }),
    logger,
  )
}

describe('SessionBroker', () => {
  test('one live session per sweep; it is released by its Done task', async () => {
    const b = broker([new ScriptedResolver([doneTask(DoneReason.SWEEP_FINISHED)]), new ScriptedResolver([])])
    const conn = new AbortController()
    const opened = await b.init(init('s1'), conn.signal, live())
    expect(opened).toEqual({session_id: 'scheduler-0', sweep_config: 'c', display_name: 'd', controller_run_name: 'r'})
    await expect(b.init(init('s1'), conn.signal, live())).rejects.toBeInstanceOf(AlreadyScheduledError)
    const done = await b.nextTask({session_id: 'scheduler-0', result: undefined}, live())
    expect(done?.task.oneofKind).toBe('done')
    expect(b.size).toBe(0)
    expect((await b.init(init('s1'), conn.signal, live())).session_id).toBe('scheduler-1')
  })

  test('a session ends with its connection (its scheduler is stopped); an unknown id gets a Done(FATAL_ERROR)', async () => {
    const resolver = new ScriptedResolver([])
    const b = broker([resolver])
    const conn = new AbortController()
    await b.init(init('s2'), conn.signal, live())
    b.stop({session_id: 'scheduler-0'})
    expect(resolver.stopped).toBe(1)
    conn.abort()
    expect(resolver.stopped).toBe(2)
    expect(b.size).toBe(0)
    const unknown = await b.nextTask({session_id: 'scheduler-0', result: undefined}, live())
    expect(unknown?.task).toEqual({
      oneofKind: 'done',
      done: {reason: DoneReason.FATAL_ERROR, message: 'unknown scheduler id; wandb-core may have restarted. Rerun the scheduler to resume the sweep.'},
    })
  })
})

describe('helpers', () => {
  test("loop settings: the objective(s) and the run cap, with Go's errors", () => {
    expect(parseLoopSettings('metric:\n  name: loss\nrun_cap: 3\n')).toEqual({metricKeys: ['loss'], runCap: 3})
    expect(parseLoopSettings('metrics:\n  - name: a\n  - name: b\n')).toEqual({metricKeys: ['a', 'b'], runCap: 0})
    expect(() => parseLoopSettings('method: grid\n')).toThrow('scheduler: the sweep config names no objective metric')
    expect(() => parseLoopSettings('metric: {name: a}\nmetrics: [{name: b}]\n')).toThrow('scheduler: the sweep config sets both metric and metrics')
    expect(() => parseLoopSettings('metrics: [{name: a}, {goal: minimize}]\n')).toThrow("scheduler: the sweep config's metrics[1] has no name")
  })

  test('config forms, summaries and the history spec', () => {
    expect(flattenWireConfig('{"lr":{"value":0.1},"b":{"value":[1,2]},"raw":3}')).toBe('{"b":[1,2],"lr":0.1,"raw":3}')
    expect(flattenWireConfig('not json')).toBe('{}')
    expect(wrapFlatConfig('{"lr":0.1,"a":"x"}')).toBe('{"a":{"value":"x"},"lr":{"value":0.1}}')
    expect(() => wrapFlatConfig('[1]')).toThrow('scheduler: parsing suggestion config')
    expect(summaryHasAllMetrics('{"loss":1,"acc":null}', ['loss'])).toBe(true)
    expect(summaryHasAllMetrics('{"loss":1,"acc":null}', ['loss', 'acc'])).toBe(false)
    expect(historySpecs(['loss'])).toEqual(['{"keys":["loss","_step"],"samples":20}'])
  })

  test("error texts as genqlient and Go's retrying client word them", () => {
    expect(httpErrorText(404, '{"errors":[{"message":"nope"}]}')).toBe('returned error 404: {"data":null,"errors":[{"message":"nope"}]}')
    expect(httpErrorText(400, 'plain')).toBe('returned error 400: {"data":null,"errors":[{"message":"plain"}]}')
    expect(retriesExhaustedText('http://h/graphql', 2, 500, '{"errors":[{"message":"a"},{"message":"b"}]}')).toBe(
      'POST http://h/graphql giving up after 2 attempt(s)\nwhile retrying: HTTP 500: [a; b]',
    )
  })
})
