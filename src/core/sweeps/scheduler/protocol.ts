/**
 * The sweep-scheduler messages of the wire schema (proto/wandb_sweep_scheduler.proto), in one
 * import point for this folder, and the small builders the scheduler uses for its tasks.
 */
import {
  SweepRunState,
  SweepSchedulerClientGenerationResult_AskOutcome as AskOutcome,
  SweepSchedulerServerDoneTask_Reason as DoneReason,
  type SweepSchedulerClientGenerationResult,
  type SweepSchedulerClientInitRequest,
  type SweepSchedulerClientNextTaskRequest,
  type SweepSchedulerClientRunSuggestion,
  type SweepSchedulerClientStopRequest,
  type SweepSchedulerClientTaskResult,
  type SweepSchedulerClientWarmStartResult,
  type SweepSchedulerServerInitResponse,
  type SweepSchedulerServerNextTaskResponse,
  type SweepSchedulerServerRunData,
  type SweepSchedulerServerRunUpdate,
  type SweepSchedulerServerWarmStartTask,
} from '../../proto.ts'

export {AskOutcome, DoneReason, SweepRunState}
export type {
  SweepSchedulerClientGenerationResult as GenerationResult,
  SweepSchedulerClientInitRequest as InitRequest,
  SweepSchedulerClientNextTaskRequest as NextTaskRequest,
  SweepSchedulerClientRunSuggestion as RunSuggestion,
  SweepSchedulerClientStopRequest as StopRequest,
  SweepSchedulerClientTaskResult as TaskResult,
  SweepSchedulerClientWarmStartResult as WarmStartResult,
  SweepSchedulerServerInitResponse as InitResponse,
  SweepSchedulerServerNextTaskResponse as Task,
  SweepSchedulerServerRunData as RunData,
  SweepSchedulerServerRunUpdate as RunUpdate,
  SweepSchedulerServerWarmStartTask as WarmStartTask,
}

type Task = SweepSchedulerServerNextTaskResponse

/** A Done task (task_seq is set by the session state machine). */
export function doneTask(reason: DoneReason, message = ''): Task {
  return {task_seq: 0n, task: {oneofKind: 'done', done: {reason, message}}}
}

/** A generation task. */
export function generationTask(updates: SweepSchedulerServerRunUpdate[], pruneCandidates: string[], askUpTo: number, discarded: string[]): Task {
  return {
    task_seq: 0n,
    task: {
      oneofKind: 'generation',
      generation: {updates, ask_up_to: Math.max(0, askUpTo), prune_candidates: pruneCandidates, discarded_optimizer_run_ids: discarded},
    },
  }
}

/** A warm-start task with one page of prior runs. */
export function warmStartTask(task: SweepSchedulerServerWarmStartTask): Task {
  return {task_seq: 0n, task: {oneofKind: 'warm_start', warm_start: task}}
}

/** A run's data as the protocol carries it (unset fields empty). */
export function runData(fields: Partial<SweepSchedulerServerRunData>): SweepSchedulerServerRunData {
  return {wandb_run_id: '', optimizer_run_id: '', state: SweepRunState.UNSPECIFIED, config_json: '', summary_json: '', history_json: '', ...fields}
}

/** The task's kind, for logs. */
export function taskKind(task: Task): string {
  return task.task.oneofKind ?? 'unknown'
}
