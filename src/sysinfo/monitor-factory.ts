import type {MonitorFactory} from '../core/stream/index.ts'
import {SystemMonitor} from './system-monitor.ts'

/**
 * The system monitor of a run, as the stream builds it: samples the host (and NVIDIA GPUs) every
 * x_stats_sampling_interval seconds into stats records, and describes the machine on
 * probe_system_info. Stats are pushed into the run's pipeline through `emit`.
 */
export const systemMonitorFactory: MonitorFactory = (o) =>
  new SystemMonitor({
    settings: o.settings.proto,
    clock: o.clock,
    logger: o.logger,
    writerId: o.writerId,
    git: o.git,
    emit: async (record) => o.emit(record),
  })
