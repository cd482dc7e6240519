import type {Logger} from '../core/observability/index.ts'

/** The service flag the SDK adds when WANDB_ENABLE_DCGM_PROFILING is true. */
export const DCGM_PROFILING_FLAG = '--enable-dcgm-profiling'

/**
 * What a run's log says when DCGM profiling was asked for. wandb-core 0.31 hands the flag to its
 * wandb-symon sidecar, which loads libdcgm.so.4 and reads the DCGM_FI_PROF_* fields through
 * nv-hostengine; nexus has no DCGM client, so it says so instead of ignoring the flag.
 */
export const DCGM_PROFILING_UNSUPPORTED =
  'sysinfo: DCGM profiling metrics are not supported by nexus; --enable-dcgm-profiling (WANDB_ENABLE_DCGM_PROFILING) is ignored. ' +
  "To chart them, run NVIDIA's dcgm-exporter and scrape it with x_stats_open_metrics_endpoints."

/** The environment variable from which the SDK decides to pass the flag. */
export const DCGM_PROFILING_ENV = 'WANDB_ENABLE_DCGM_PROFILING'

/** Python's strtobool true values, which the SDK's `_env_as_bool` accepts. */
const TRUE_WORDS = new Set(['y', 'yes', 't', 'true', 'on', '1'])

/**
 * Whether this service process was asked for DCGM profiling: its launch line (arguments after the
 * executable and script) holds --enable-dcgm-profiling, or WANDB_ENABLE_DCGM_PROFILING is true as
 * the SDK reads it. The variable matters for the shared node service, which the SDK's launch line
 * reaches through a stand-in: the node is keyed on the WANDB_* environment and started with it, so
 * it holds the variable exactly when the SDK processes it serves passed the flag.
 */
export function launchRequestsDcgmProfiling(args: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return args.includes(DCGM_PROFILING_FLAG) || TRUE_WORDS.has((env[DCGM_PROFILING_ENV] ?? '').trim().toLowerCase())
}

/**
 * Whether DCGM profiling was requested, and the warning about it. `warn(logger)` logs
 * DCGM_PROFILING_UNSUPPORTED as a warning on that logger the first time it is called with it and
 * never again for the same logger; it does nothing when profiling was not requested.
 */
export class DcgmProfilingNotice {
  readonly requested: boolean
  readonly #warned = new WeakSet<Logger>()

  constructor(requested: boolean) {
    this.requested = requested
  }

  warn(logger: Logger): void {
    if (!this.requested || this.#warned.has(logger)) return
    this.#warned.add(logger)
    logger.warn(DCGM_PROFILING_UNSUPPORTED)
  }
}
