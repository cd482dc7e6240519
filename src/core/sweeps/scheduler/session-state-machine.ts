/**
 * Sequences the task exchange of one scheduler session (Go's schedulerStateMachine): tasks are
 * numbered, each poll must carry the result of the task last issued (none on the first poll),
 * and once a Done task is issued it is the answer to every later poll. Polls are served one at a
 * time, in arrival order.
 */
import type {Logger} from '../../observability/index.ts'
import {DoneReason, doneTask, taskKind, type Task, type TaskResult} from './protocol.ts'

/** Computes one scheduling step (the Scheduler). */
export interface TaskResolver {
  /** Applies the previous result and returns the next task; Done when `signal` ends it. */
  step(signal: AbortSignal, result: TaskResult | undefined): Promise<Task>
  /** Asks the current or next step to return a Done task. */
  stop(): void
}

export class SessionStateMachine {
  readonly #resolver: TaskResolver
  readonly #logger: Logger
  #taskSeq = 0n
  #terminal: Task | undefined
  #queue: Promise<unknown> = Promise.resolve()

  constructor(resolver: TaskResolver, logger: Logger) {
    this.#resolver = resolver
    this.#logger = logger
  }

  /**
   * Reports `result` and returns the next task; undefined when the poll (`signal`) was abandoned
   * before its turn came.
   */
  nextTask(signal: AbortSignal, result: TaskResult | undefined): Promise<Task | undefined> {
    const turn = this.#queue.then(() => this.#next(signal, result))
    this.#queue = turn.catch(() => {})
    return turn
  }

  /** Asks the resolver to finish its current step and stop. Does not wait for the turn. */
  stop(): void {
    this.#resolver.stop()
  }

  async #next(signal: AbortSignal, result: TaskResult | undefined): Promise<Task | undefined> {
    if (this.#terminal) {
      this.#logger.debug('scheduler: redelivering terminal task', {seq: this.#terminal.task_seq})
      return this.#terminal
    }
    if (signal.aborted) {
      this.#logger.debug('scheduler: poll abandoned before its step')
      return undefined
    }
    const mismatch = this.#checkAnswersLastTask(result)
    if (mismatch) {
      this.#logger.error('scheduler: out of sync with the client', {error: mismatch})
      return this.#issue(doneTask(DoneReason.FATAL_ERROR, `the scheduler and this client are out of sync: ${mismatch}. Rerun the scheduler to resume the sweep.`))
    }
    if (result) this.#logger.debug('scheduler: applying task result', {seq: result.task_seq})
    let task: Task
    try {
      task = await this.#resolver.step(signal, result)
    } catch (err) {
      // a resolver must always produce a task, so the client always gets a reply
      this.#logger.captureError('scheduler: the step failed', err)
      task = doneTask(DoneReason.SHUTDOWN)
    }
    return this.#issue(task)
  }

  /** Why `result` does not answer the task last issued, or undefined when it does. */
  #checkAnswersLastTask(result: TaskResult | undefined): string | undefined {
    if (this.#taskSeq === 0n) {
      return result ? `the first poll reported a result for task ${result.task_seq}, but no task has been issued yet` : undefined
    }
    if (!result) return `a poll reported no result, but task ${this.#taskSeq} is awaiting one`
    if (result.task_seq !== this.#taskSeq) return `a poll reported a result for task ${result.task_seq}, but task ${this.#taskSeq} is awaiting one`
    return undefined
  }

  #issue(task: Task): Task {
    this.#taskSeq++
    task.task_seq = this.#taskSeq
    this.#logger.debug('scheduler: task issued', {seq: this.#taskSeq, task: taskKind(task)})
    if (task.task.oneofKind === 'done') this.#terminal = task
    return task
  }
}
