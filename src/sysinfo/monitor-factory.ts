import {coreWeaveLookup} from '../core/runupserter/index.ts'
import type {MonitorFactory} from '../core/stream/index.ts'
import {DcgmProfilingNotice, launchRequestsDcgmProfiling} from './dcgm-profiling.ts'
import {SystemMonitor} from './system-monitor.ts'

/**
 * The system monitor of a run, as the stream builds it: samples the host (NVIDIA GPUs, OpenMetrics
 * endpoints) every x_stats_sampling_interval seconds into stats records, and describes the machine
 * on probe_system_info. Stats are pushed into the run's pipeline through `emit`.
 *
 * `dcgmProfiling` is the service's --enable-dcgm-profiling: nexus cannot collect those metrics, so
 * each run built while it is set logs DCGM_PROFILING_UNSUPPORTED once, as a warning, in its log.
 * The hardware description waits for the run's CoreWeave lookup (see registerCoreWeaveLookup).
 */
export function createSystemMonitorFactory(o: {dcgmProfiling: boolean}): MonitorFactory {
  const dcgm = new DcgmProfilingNotice(o.dcgmProfiling)
  return (s) => {
    dcgm.warn(s.logger)
    return new SystemMonitor({
      settings: s.settings.proto,
      clock: s.clock,
      logger: s.logger,
      writerId: s.writerId,
      git: s.git,
      beforeHardwareProbe: () => coreWeaveLookup(s.settings.proto),
      emit: async (record) => s.emit(record),
    })
  }
}

/**
 * The factory for this process: DCGM profiling counts as requested when this process was launched
 * with --enable-dcgm-profiling (the SDK's `wandb-core --enable-dcgm-profiling …` line, or
 * `nexus service --enable-dcgm-profiling`) or has WANDB_ENABLE_DCGM_PROFILING set to true (a shared
 * node service; see launchRequestsDcgmProfiling).
 */
export const systemMonitorFactory: MonitorFactory = createSystemMonitorFactory({dcgmProfiling: launchRequestsDcgmProfiling(process.argv.slice(2))})
