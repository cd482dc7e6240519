/**
 * Sweeps: the engine of `nexus sweep`, doing what `wandb sweep` 0.31 does without Python: the
 * sweep config read and written as PyYAML does, entity/project resolution, the UpsertSweep
 * requests, and the state changes (--stop, --cancel, --pause, --resume); the search methods, the
 * local controller (`nexus controller`) and offline sweeps (`nexus sweep --offline`).
 */
export {createSweep} from './create-sweep.ts'
export type {CreatedSweep, CreateSweepOptions, SweepOutput} from './create-sweep.ts'
export {
  LocalControllerError,
  SweepConfigError,
  SweepFileError,
  SweepIdError,
  SweepNotFoundError,
  SweepServerError,
  SweepStateError,
  sweepServerError,
} from './errors.ts'
export {agentPath, pyQuote, pyRepr, sweepUrl, violationLines} from './messages.ts'
export {PyFloat, compareCodePoints, isTruthy, pyFloatRepr, toJsonValue} from './py-value.ts'
export type {PyDict, PyValue} from './py-value.ts'
export {ACTION_STATE, setSweepState} from './set-sweep-state.ts'
export type {SetSweepStateOptions, SweepStateAction} from './set-sweep-state.ts'
export {SweepApi} from './sweep-api.ts'
export type {SweepApiOptions, SweepRef, SweepState, UpsertSweepVariables} from './sweep-api.ts'
export {SWEEP_METHODS, applyOverrides, checkMethod, configYaml, fillDistributions, loadSweepConfig, parseSweepConfig, wantsLocalController} from './sweep-config.ts'
export type {ConfigOverrides} from './sweep-config.ts'
export {autoProjectName, gitRoot, parseSweepPath, resolveDestination, settingsDefaults} from './sweep-target.ts'
export type {DestinationOptions, SettingsDefaults, SweepPath} from './sweep-target.ts'
export {dumpPyYaml} from './yaml-dump.ts'
export {YamlLoadError, loadPyYaml, resolvePlain} from './yaml-load.ts'
export {LocalController, OnlineControllerBackend, SWEEPS_SEARCH, runController, snapshotOf, statusLine} from './controller/index.ts'
export type {ControllerBackend, ControllerEnd, ControllerOutput, ControllerState, RunControllerOptions, SweepSearch, SweepSnapshot} from './controller/index.ts'
export {
  HistoryTail,
  OfflineCommandSource,
  OfflineSweepFileError,
  OfflineSweepNotFoundError,
  OfflineSweepStore,
  SWEEP_DIR_PREFIX,
  createOfflineSweep,
  offlineRunDir,
  offlineSource,
  readSummary,
  wandbDirOf,
} from './offline/index.ts'
export type {CreatedOfflineSweep, CreateOfflineSweepOptions, OfflineSweepInfo, SyncedSweep, TrialRecord} from './offline/index.ts'
export {SweepSearchError, checkSearchConfig, nextRun, stopRuns} from './search/index.ts'
export type {RunState, SweepRun} from './search/index.ts'
