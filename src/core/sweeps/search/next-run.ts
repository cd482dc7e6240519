/**
 * The two entry points, as sweeps.next_run and sweeps.stop_runs: the config's top-level checks,
 * then the method (grid, random, bayes) or the early-terminate type (hyperband) from a table.
 */
import {filledMetric} from './config-check.ts'
import {SweepSearchError} from './errors.ts'
import {bayesNextConfig} from './bayes-search.ts'
import {gridNextConfig} from './grid-search.ts'
import {hyperbandStops} from './hyperband.ts'
import {isPlainObject} from './py-number.ts'
import {randomNextConfig} from './random-search.ts'
import {type Rng, RUN_STATES, type RunState, type SweepRun} from './types.ts'

type Search = (config: Record<string, unknown>, runs: readonly SweepRun[], rng: Rng) => Record<string, {value: unknown}> | null

const SEARCHES: Record<string, Search> = {
  grid: (config, runs) => gridNextConfig(config.parameters as Record<string, unknown>, runs),
  random: (config, _runs, rng) => randomNextConfig(config.parameters as Record<string, unknown>, rng),
  bayes: bayesNextConfig,
}

type Stopper = (config: Record<string, unknown>, runs: readonly SweepRun[]) => SweepRun[]

const STOPPERS: Record<string, Stopper> = {
  hyperband: (config, runs) => hyperbandStops(config.early_terminate as Record<string, unknown>, filledMetric(config, 'Hyperband stopping'), runs),
}

let counter = 0

/** A fresh run name (the controller may rename it). */
function freshName(): string {
  counter = (counter + 1) % 1e9
  return `sweep-run-${Date.now().toString(36)}-${counter.toString(36)}`
}

function checkRuns(runs: readonly SweepRun[]): void {
  if (!Array.isArray(runs)) throw new SweepSearchError('The runs of the sweep must be a list.')
  for (const run of runs) {
    if (!isPlainObject(run) || !RUN_STATES.includes(run.state as RunState) || !isPlainObject(run.config)) {
      throw new SweepSearchError(`A run of the sweep is malformed (needs a state among ${RUN_STATES.join(', ')} and a config mapping): ${JSON.stringify(run)?.slice(0, 200)}.`)
    }
    if (!Array.isArray(run.history)) throw new SweepSearchError(`Run ${run.name}'s history must be a list of rows.`)
  }
}

/** sweeps.next_run: the next run to schedule, or null when the search is exhausted (grid). */
export function nextRun(config: Record<string, unknown>, runs: SweepRun[], opts: {rng?: Rng} = {}): SweepRun | null {
  if (!isPlainObject(config)) throw new SweepSearchError('The sweep config must be a mapping.')
  if (!Object.hasOwn(config, 'method')) throw new SweepSearchError('The sweep config must contain a method section.', {key: 'method'})
  if (!Object.hasOwn(config, 'parameters')) throw new SweepSearchError('The sweep config must contain a parameters section.', {key: 'parameters'})
  if (!isPlainObject(config.parameters) || Object.keys(config.parameters).length === 0) {
    throw new SweepSearchError('The parameters section of the sweep config must be a mapping of at least one parameter.', {key: 'parameters'})
  }
  const method = config.method
  const search = typeof method === 'string' && Object.hasOwn(SEARCHES, method) ? SEARCHES[method] : undefined
  if (!search) throw new SweepSearchError(`Invalid search type ${JSON.stringify(method)}: must be one of grid, random, bayes.`, {key: 'method'})
  checkRuns(runs)
  const runConfig = search(config, runs, opts.rng ?? Math.random)
  if (runConfig === null) return null
  return {name: freshName(), state: 'pending', config: runConfig, summaryMetrics: {}, history: []}
}

/** sweeps.stop_runs: the runs the early-terminate policy stops now, [] when there is no early_terminate. */
export function stopRuns(config: Record<string, unknown>, runs: SweepRun[]): SweepRun[] {
  if (!isPlainObject(config)) throw new SweepSearchError('The sweep config must be a mapping.')
  if (!Object.hasOwn(config, 'early_terminate')) return []
  const et = config.early_terminate
  if (!isPlainObject(et) || !Object.hasOwn(et, 'type')) {
    throw new SweepSearchError('early_terminate must be a mapping with a type (like {type: hyperband, min_iter: 3}).', {key: 'early_terminate'})
  }
  if (!Object.hasOwn(config, 'metric')) throw new SweepSearchError('early_terminate requires a metric section.', {key: 'metric'})
  const stopper = typeof et.type === 'string' && Object.hasOwn(STOPPERS, et.type) ? STOPPERS[et.type] : undefined
  if (!stopper) throw new SweepSearchError(`Invalid early stopping type ${JSON.stringify(et.type)}: must be hyperband.`, {key: 'early_terminate.type'})
  checkRuns(runs)
  return stopper(config, runs)
}
