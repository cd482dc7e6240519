/**
 * `leet inspect --summary [--json]` of Go wandb-core 0.31, in TypeScript: the run's state, last
 * step, summary, config and console tail read from its .wandb file, byte for byte as Go prints
 * them. The records dump and the terminal UIs stay with the original core (src/commands/leet).
 */
export {LeetInspectError} from './errors.ts'
export {planLeet, validateInspect, parseGoDuration} from './inspect-args.ts'
export type {InspectOptions, LeetPlan} from './inspect-args.ts'
export {renderSummary} from './print-summary.ts'
export type {SummaryRequest} from './print-summary.ts'
export {readRunDigest} from './read-digest.ts'
export {resolveRunFile, goJoin, runIdOfDir} from './resolve-run-file.ts'
export {RunDigest, historyStep} from './run-digest.ts'
export {runState, RUN_CRASH_TIMEOUT_S} from './run-state.ts'
export {decodeGoJson} from './go-value.ts'
export type {GoValue, GoObject} from './go-value.ts'
