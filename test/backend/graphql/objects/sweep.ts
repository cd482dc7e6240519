/**
 * GraphQL views of sweeps and sweep agents. `config` is the YAML text the client sent;
 * `controller` and `scheduler` are JSON strings; sweep states are upper-case, run states in
 * `runs` lower-case (as the `sweeps` package expects).
 */
import type {Ctx} from '../context.ts'
import type {GqlObject} from '../executor.ts'
import {toGqlId} from '../../ids.ts'
import type {AgentRow, SweepRow} from '../../store/index.ts'
import {parseSweepConfig} from '../../sweeps/config.ts'
import {connection} from './connection.ts'
import {projectObject} from './project.ts'
import {runObject} from './run.ts'

/** A sweep with its runs. */
export function sweepObject(ctx: Ctx, s: SweepRow): GqlObject {
  const store = ctx.store
  const runs = () => store.runs.listBySweep(s.project_id, s.name)
  const config = parseSweepConfig(s.config)
  return {
    __typename: 'Sweep',
    id: toGqlId('Sweep', s.id),
    name: s.name,
    displayName: s.display_name ?? config.name ?? s.name,
    method: config.method ?? null,
    state: s.state,
    description: s.description,
    config: s.config,
    createdAt: s.created_at,
    updatedAt: s.updated_at,
    heartbeatAt: s.heartbeat_at ?? s.updated_at,
    earlyStopJobRunning: false,
    bestLoss: null,
    controller: s.controller,
    scheduler: s.scheduler,
    priorRunsFilters: s.prior_runs_filters,
    // the run a local sweep scheduler logs to (wandb.init(id=…)); the server names one per sweep
    controllerRunName: `${s.name}-controller`,
    runCount: () => runs().length,
    runCountExpected: () => ctx.sweeps.expectedRunCount(s),
    project: () => {
      const p = store.projects.get(s.project_id)
      return p ? projectObject(ctx, p) : null
    },
    runs: (args: {first?: number; after?: string}) => connection('RunConnection', runs(), args, (r) => runObject(ctx, r)),
    agents: (args: {first?: number; after?: string}) => connection('AgentConnection', store.sweeps.agents(s.id), args, (a) => agentObject(ctx, a)),
  }
}

/** A sweep agent. */
export function agentObject(ctx: Ctx, a: AgentRow): GqlObject {
  return {
    __typename: 'Agent',
    id: toGqlId('Agent', a.id),
    name: String(a.id),
    host: a.host,
    state: a.state,
    createdAt: a.created_at,
    heartbeatAt: a.heartbeat_at,
    sweep: () => {
      const s = ctx.store.sweeps.get(a.sweep_id)
      return s ? sweepObject(ctx, s) : null
    },
  }
}
