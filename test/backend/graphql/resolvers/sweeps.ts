/**
 * Sweep mutations: `upsertSweep` (create with a validated YAML config, or update state /
 * controller / config of an existing sweep by id), `createAgent`, and `agentHeartbeat`, whose
 * `commands` is a JSON *string* of the commands chosen by the sweep controller. A heartbeat for
 * an unknown agent or a deleted sweep answers HTTP 404 (the agent's "sweep deleted" signal).
 */
import {type Ctx, entityOr, projectOr, str} from '../context.ts'
import {GqlError} from '../executor.ts'
import {tryParseExtendedJson} from '../../extended-json.ts'
import {fromGqlId, randomName} from '../../ids.ts'
import type {SweepFields, SweepRow} from '../../store/index.ts'
import {parseSweepConfig, validateSweepConfig} from '../../sweeps/config.ts'
import {agentObject, sweepObject} from '../objects/sweep.ts'

type Input = Record<string, any>

function upsertSweep(args: {input?: Input}, ctx: Ctx) {
  const input = args.input ?? {}
  const store = ctx.store
  const config = str(input.config)
  if (config !== null) {
    const problems = validateSweepConfig(config)
    if (problems.length > 0) throw new GqlError(problems.join('; '))
  }
  const fields: SweepFields = {
    config,
    state: str(input.state)?.toUpperCase() ?? null,
    description: input.description ?? null,
    display_name: str(input.displayName),
    controller: str(input.controller),
    scheduler: str(input.scheduler),
    prior_runs_filters: str(input.priorRunsFilters),
  }
  let sweep: SweepRow
  if (input.id) {
    const id = fromGqlId(input.id, 'Sweep')
    const existing = id === null ? null : store.sweeps.get(id)
    if (!existing) throw new GqlError(`sweep ${String(input.id)} not found`)
    store.sweeps.update(existing.id, fields)
    sweep = store.sweeps.get(existing.id) as SweepRow
  } else {
    if (config === null) throw new GqlError('upsertSweep: config is required to create a sweep')
    const project = store.projects.ensure(entityOr(ctx, input.entityName), projectOr(input.projectName))
    const local = parseSweepConfig(config).controller?.type === 'local'
    sweep = store.sweeps.create(project.id, randomName(8), config, fields.state ?? (local ? 'PENDING' : 'RUNNING'), fields)
  }
  linkPriorRuns(ctx, sweep)
  return {__typename: 'UpsertSweepPayload', sweep: sweepObject(ctx, sweep), configValidationWarnings: [], inserted: !input.id}
}

/** Attaches the runs named by `priorRunsFilters` ({"$or": [{"name": id}, …]}) to the sweep. */
function linkPriorRuns(ctx: Ctx, sweep: SweepRow): void {
  const filters = tryParseExtendedJson(sweep.prior_runs_filters, null) as {$or?: {name?: string}[]} | null
  for (const f of filters?.$or ?? []) {
    const run = f.name ? ctx.store.runs.find(sweep.project_id, f.name) : null
    if (run && !run.sweep_name) ctx.store.runs.update(run.id, {sweep_name: sweep.name})
  }
}

function createAgent(args: {input?: Input}, ctx: Ctx) {
  const input = args.input ?? {}
  const project = ctx.store.projects.find(entityOr(ctx, input.entityName), projectOr(input.projectName))
  const sweep = project && str(input.sweep) ? ctx.store.sweeps.find(project.id, input.sweep) : null
  if (!sweep) throw new GqlError(`sweep ${String(input.sweep)} not found`, 404)
  const agent = ctx.store.sweeps.createAgent(sweep.id, str(input.host))
  return {__typename: 'CreateAgentPayload', agent: agentObject(ctx, agent)}
}

function agentHeartbeat(args: {input?: Input}, ctx: Ctx) {
  const input = args.input ?? {}
  const id = fromGqlId(input.id, 'Agent')
  const agent = id === null ? null : ctx.store.sweeps.agent(id)
  if (!agent || !ctx.store.sweeps.get(agent.sweep_id)) throw new GqlError(`agent ${String(input.id)} or its sweep not found`, 404)
  const runState = (tryParseExtendedJson(str(input.runState), {}) ?? {}) as Record<string, unknown>
  const commands = ctx.sweeps.heartbeat(agent, runState)
  if (commands.length > 0) ctx.log(`sweep agent ${agent.id}: ${JSON.stringify(commands)}`)
  return {__typename: 'AgentHeartbeatPayload', agent: agentObject(ctx, agent), commands: JSON.stringify(commands)}
}

/** Root fields of this domain. */
export const sweepsRoot = {
  upsertSweep,
  createAgent,
  agentHeartbeat,
}
