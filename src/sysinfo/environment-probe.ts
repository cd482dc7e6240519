import {errorMessage} from '../core/errors.ts'
import {nullLogger, type Logger} from '../core/observability/index.ts'
import {EnvironmentRecord, type GitRepoRecord, type Settings} from '../core/proto.ts'
import {createResources} from './default-resources.ts'
import {executionContext} from './execution-context.ts'
import {mergeEnvironment} from './metadata-json.ts'
import {monitorSettings, type MonitorSettings} from './monitor-settings.ts'
import type {Resource} from './resource.ts'

/**
 * The second machine-description record (Go's `probeResources`): every resource's `probe()` run
 * in parallel and merged with protobuf merge semantics, then the user's overrides
 * (x_stats_cpu_count, x_stats_cpu_logical_count, x_stats_gpu_count, x_stats_gpu_type) applied.
 * A resource whose probe rejects contributes nothing (logged).
 */
export async function probeResources(resources: Resource[], s: MonitorSettings, o: {writerId: string; logger?: Logger}): Promise<EnvironmentRecord> {
  const parts = await Promise.all(
    resources.map((r) =>
      r.probe().catch((err) => {
        ;(o.logger ?? nullLogger).captureError(`sysinfo: probing ${r.name} failed`, err, {error: errorMessage(err)})
        return {}
      }),
    ),
  )
  const e = mergeEnvironment([...parts.map((p) => EnvironmentRecord.create(p)), EnvironmentRecord.create({writer_id: o.writerId})])
  if (s.cpuCount > 0) e.cpu_count = s.cpuCount
  if (s.cpuLogicalCount > 0) e.cpu_count_logical = s.cpuLogicalCount
  if (s.gpuCount > 0) e.gpu_count = s.gpuCount
  if (s.gpuType !== '') e.gpu_type = s.gpuType
  return e
}

/**
 * Both machine-description records for a run, as Go core emits them on probe_system_info: the
 * execution context from the settings, then the hardware from the resources. `resources` defaults
 * to this host's (created, probed and closed here). Returns [] when x_disable_meta or
 * x_disable_machine_info is set. Never rejects.
 */
export async function probeEnvironment(settings: Settings, o: {writerId: string; git?: GitRepoRecord; resources?: Resource[]; logger?: Logger; now?: () => number}): Promise<EnvironmentRecord[]> {
  const s = monitorSettings(settings)
  if (s.disableMeta || s.disableMachineInfo) return []
  const logger = o.logger ?? nullLogger
  const own = o.resources === undefined
  const resources = o.resources ?? (await createResources(s, {now: o.now ?? Date.now, logger}))
  try {
    return [executionContext(settings, {writerId: o.writerId, git: o.git}), await probeResources(resources, s, {writerId: o.writerId, logger})]
  } finally {
    if (own) for (const r of resources) await Promise.resolve(r.close?.()).catch(() => undefined)
  }
}
