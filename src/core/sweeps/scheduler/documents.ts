/**
 * The GraphQL operations of the sweep scheduler, with the operation names, fields and variables
 * Go core 0.31 sends (core/api/graphql/query_sweep.graphql and the mutation files).
 */

export const SWEEP_CONFIG = `query SweepConfig($entity: String!, $project: String!, $sweep: String!) {
  project(name: $project, entityName: $entity) {
    sweep(sweepName: $sweep) { id state config displayName controllerRunName }
  }
}`

const POLL_RUNS = `fragment SweepPollRuns on RunConnection {
  pageInfo { hasNextPage endCursor }
  edges { node { id name state config summaryMetrics sampledHistory(specs: $historySpecs) } }
}`

export const SWEEP_RUNS_WITH_HISTORY = `query SweepRunsWithHistory($entity: String!, $project: String!, $sweep: String!, $first: Int!, $cursor: String, $historySpecs: [JSONString!]!) {
  project(name: $project, entityName: $entity) {
    sweep(sweepName: $sweep) { state runs(first: $first, after: $cursor) { ...SweepPollRuns } }
  }
}
${POLL_RUNS}`

export const SWEEP_WATCHED_RUNS = `query SweepWatchedRuns($entity: String!, $project: String!, $sweep: String!, $filters: JSONString!, $first: Int!, $cursor: String, $historySpecs: [JSONString!]!) {
  project(name: $project, entityName: $entity) {
    sweep(sweepName: $sweep) { state }
    runs(filters: $filters, first: $first, after: $cursor) { ...SweepPollRuns }
  }
}
${POLL_RUNS}`

export const RUN_STATE = `query RunState($entity: String!, $project: String!, $run: String!) {
  project(name: $project, entityName: $entity) { run(name: $run) { id state } }
}`

export const ENQUEUE_SWEEP_RUN = `mutation EnqueueSweepRun($id: ID!, $config: JSONString!, $displayName: String) {
  enqueueSweepRun(input: {id: $id, config: $config, displayName: $displayName}) { id runQueueItemId }
}`

export const STOP_RUN = `mutation StopRun($id: ID!) {
  stopRun(input: {id: $id}) { success }
}`

export const UPSERT_SWEEP_STATE = `mutation UpsertSweepState($id: ID!, $state: String!) {
  upsertSweep(input: {id: $id, state: $state}) { sweep { state } }
}`

type Maybe<T> = T | null | undefined

export interface SweepConfigData {
  project?: Maybe<{sweep?: Maybe<{id?: string; state?: string; config?: string; displayName?: Maybe<string>; controllerRunName?: Maybe<string>}>}>
}

export interface PollRunsData {
  pageInfo?: Maybe<{hasNextPage?: boolean; endCursor?: Maybe<string>}>
  edges?: Maybe<Array<Maybe<{node?: Maybe<PollRunNode>}>>>
}

export interface PollRunNode {
  id?: string
  name?: string
  state?: Maybe<string>
  config?: Maybe<string>
  summaryMetrics?: Maybe<string>
  sampledHistory?: Maybe<unknown[]>
}

export interface SweepRunsWithHistoryData {
  project?: Maybe<{sweep?: Maybe<{state?: string; runs?: Maybe<PollRunsData>}>}>
}

export interface SweepWatchedRunsData {
  project?: Maybe<{sweep?: Maybe<{state?: string}>; runs?: Maybe<PollRunsData>}>
}

export interface RunStateData {
  project?: Maybe<{run?: Maybe<{id?: string; state?: Maybe<string>}>}>
}

export interface EnqueueSweepRunData {
  enqueueSweepRun?: Maybe<{id?: Maybe<string>; runQueueItemId?: Maybe<string>}>
}

export interface StopRunData {
  stopRun?: Maybe<{success?: Maybe<boolean>}>
}
