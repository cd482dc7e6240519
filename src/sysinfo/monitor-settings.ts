import type {OpenMetricsFilters, Settings} from '../core/proto.ts'

/** Go core's default sampling period, in seconds (`defaultSamplingInterval`). */
export const DEFAULT_SAMPLING_INTERVAL_S = 15

/**
 * The settings the system monitor reads, with Go core's defaults applied. Plain data, derived once
 * from the SDK's Settings proto by `monitorSettings`.
 */
export interface MonitorSettings {
  /** Seconds between samples (x_stats_sampling_interval; 15 when unset or not positive). */
  samplingIntervalS: number
  /** Process whose CPU/memory is reported (x_stats_pid; 0 = none). */
  pid: number
  /** Include the descendants of `pid` (x_stats_track_process_tree). */
  trackProcessTree: boolean
  /** Paths whose file system usage is reported (x_stats_disk_paths; default ["/"]). */
  diskPaths: string[]
  /** GPU indices to report (x_stats_gpu_device_ids); undefined = all. */
  gpuDeviceIds: number[] | undefined
  /** Ignore cgroup limits (x_stats_no_cgroup). */
  noCgroup: boolean
  /** Report the monitor's own process as `wandb.cpu` / `wandb.memory.rssMB` (x_stats_self_usage). */
  selfUsage: boolean
  /** x_disable_stats: no sampling at all. */
  disableStats: boolean
  /** x_disable_machine_info: neither sampling nor machine description. */
  disableMachineInfo: boolean
  /** x_disable_meta: no machine description (wandb-metadata.json). */
  disableMeta: boolean
  /** x_stats_buffer_size: 0 = no buffer, -1 = unbounded, N = last N samples per key. */
  bufferSize: number
  /** x_label: appended to every key as `/l:<label>`. */
  label: string
  /** Overrides for the machine description (0 / "" = detect). */
  cpuCount: number
  cpuLogicalCount: number
  gpuCount: number
  gpuType: string
  /** OpenMetrics endpoints to scrape every interval: name → URL (x_stats_open_metrics_endpoints). */
  openMetricsEndpoints: Map<string, string>
  /** Which scraped samples are kept (x_stats_open_metrics_filters); [] keeps every gauge and counter. */
  openMetricsFilters: OpenMetricsFilterSpec[]
  /** Headers sent with every OpenMetrics request (x_stats_open_metrics_http_headers). */
  openMetricsHeaders: Map<string, string>
}

/**
 * One filter of x_stats_open_metrics_filters: a sample is kept when `metricRegex` matches
 * `<endpoint name>.<metric name>` and every label in `labelRegexes` exists with a matching value.
 * The setting's sequence form gives filters without label regexes.
 */
export interface OpenMetricsFilterSpec {
  metricRegex: string
  labelRegexes: Map<string, string>
}

/** The filters of the OpenMetricsFilters setting (a sequence of regexes, or regex → label regexes). */
export function openMetricsFilterSpecs(f: OpenMetricsFilters | undefined): OpenMetricsFilterSpec[] {
  const v = f?.value
  if (v?.oneofKind === 'sequence') return v.sequence.value.map((metricRegex) => ({metricRegex, labelRegexes: new Map()}))
  if (v?.oneofKind === 'mapping') {
    return Object.entries(v.mapping.value).map(([metricRegex, labels]) => ({metricRegex, labelRegexes: new Map(Object.entries(labels.value))}))
  }
  return []
}

/** Reads the monitor's settings from the SDK's Settings proto. */
export function monitorSettings(s: Settings): MonitorSettings {
  const interval = s.x_stats_sampling_interval?.value ?? 0
  const disks = s.x_stats_disk_paths?.value ?? []
  const gpuIds = s.x_stats_gpu_device_ids?.value
  return {
    samplingIntervalS: interval > 0 ? interval : DEFAULT_SAMPLING_INTERVAL_S,
    pid: s.x_stats_pid?.value ?? 0,
    trackProcessTree: s.x_stats_track_process_tree?.value ?? false,
    diskPaths: disks.length > 0 ? [...disks] : ['/'],
    gpuDeviceIds: gpuIds && gpuIds.length > 0 ? [...gpuIds] : undefined,
    noCgroup: s.x_stats_no_cgroup?.value ?? false,
    selfUsage: s.x_stats_self_usage?.value ?? false,
    disableStats: s.x_disable_stats?.value ?? false,
    disableMachineInfo: s.x_disable_machine_info?.value ?? false,
    disableMeta: s.x_disable_meta?.value ?? false,
    bufferSize: s.x_stats_buffer_size?.value ?? 0,
    label: s.x_label?.value ?? '',
    cpuCount: s.x_stats_cpu_count?.value ?? 0,
    cpuLogicalCount: s.x_stats_cpu_logical_count?.value ?? 0,
    gpuCount: s.x_stats_gpu_count?.value ?? 0,
    gpuType: s.x_stats_gpu_type?.value ?? '',
    openMetricsEndpoints: new Map(Object.entries(s.x_stats_open_metrics_endpoints?.value ?? {})),
    openMetricsFilters: openMetricsFilterSpecs(s.x_stats_open_metrics_filters),
    openMetricsHeaders: new Map(Object.entries(s.x_stats_open_metrics_http_headers?.value ?? {})),
  }
}
