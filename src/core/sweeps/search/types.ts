/** The records the search engine reads and returns, as the `sweeps` package (0.2.0) models them. */

export type RunState = 'pending' | 'running' | 'finished' | 'killed' | 'crashed' | 'failed' | 'preempted' | 'preempting'

export const RUN_STATES: readonly RunState[] = ['pending', 'running', 'finished', 'killed', 'crashed', 'failed', 'preempted', 'preempting']

/** One run of the sweep, as sweeps.SweepRun. */
export interface SweepRun {
  name: string
  state: RunState
  /** the run's config in wandb's wrapped form: {param: {value: v}}; nested params as the sweeps package sees them */
  config: Record<string, {value: unknown}>
  /** summary metrics (plain JSON) */
  summaryMetrics: Record<string, unknown>
  /** history rows (plain JSON objects, in step order), for hyperband and for bayes' metric fallback as sweeps uses it */
  history: Record<string, unknown>[]
}

/** A uniform random source in [0, 1); default Math.random. */
export type Rng = () => number

/** sweeps' `run_state_is_terminal`: the run will log nothing more. */
export function isTerminal(state: RunState): boolean {
  return state === 'finished' || state === 'crashed' || state === 'failed' || state === 'killed'
}
