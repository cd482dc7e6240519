/**
 * The sweep search engine without Python: what the `sweeps` package (0.2.0) computes for a
 * local sweep controller — the next run of a grid, random or bayes search, the runs hyperband
 * stops, and the config checks sweeps makes. `run_cap` is not read here (sweeps ignores it too):
 * the controller counts runs.
 */
export {checkSearchConfig} from './config-check.ts'
export {SweepSearchError} from './errors.ts'
export {nextRun, stopRuns} from './next-run.ts'
export type {Rng, RunState, SweepRun} from './types.ts'
