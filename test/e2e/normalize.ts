/**
 * Normalises the backend's /_inspect state so that two services' runs of the same scenario can be
 * compared with toEqual: values that legitimately differ between executions (timestamps,
 * runtimes, the service's own version, machine descriptions, files whose content embeds those)
 * are replaced by placeholders; everything else is kept exactly.
 */
import type {InspectRun} from '../backend/index.ts'

const TIMING_KEYS = new Set(['_timestamp', '_runtime'])
/**
 * Run files whose bytes embed timestamps, runtimes, temp paths or the core version: compared by
 * presence only (output.log's content is compared line by line through `output`).
 */
const VOLATILE_FILES = new Set(['wandb-metadata.json', 'wandb-summary.json', 'config.yaml', 'output.log'])
const CONSOLE_TS = /^(ERROR )?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6} /

/**
 * Media that refer to an artifact the SDK logs alongside (wandb.Table → run_table artifact) carry
 * `wandb-client-artifact://<client id>` paths: the id is random per SDK process.
 */
const CLIENT_ARTIFACT_ID = /^wandb-client-artifact:\/\/[a-z0-9]+/

function stripClientIds(v: unknown): unknown {
  if (typeof v === 'string') return v.replace(CLIENT_ARTIFACT_ID, 'wandb-client-artifact://<client-id>')
  if (Array.isArray(v)) return v.map(stripClientIds)
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stripClientIds(x)]))
  return v
}

function stripTiming(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(row)) {
    if (TIMING_KEYS.has(k)) out[k] = '<timing>'
    else if (k === '_wandb' && v && typeof v === 'object') out[k] = {...(v as object), runtime: '<timing>'}
    else out[k] = stripClientIds(v)
  }
  return out
}

function normalizeConfig(config: Record<string, unknown>): Record<string, unknown> {
  const out = {...config}
  const w = out._wandb as Record<string, unknown> | undefined
  if (w && typeof w === 'object') {
    const t = {...(w.t as Record<string, unknown> | undefined)}
    delete t['12'] // core_version: the service's own version
    const m = Array.isArray(w.m) ? [...(w.m as Record<string, unknown>[])].sort((a, b) => String(a['1'] ?? a['2']).localeCompare(String(b['1'] ?? b['2']))) : w.m
    const e = w.e && typeof w.e === 'object' ? Object.values(w.e as object).map((env) => Object.keys(env as object).sort()) : w.e
    out._wandb = {...w, t, m, e}
  }
  return out
}

/** A run as compared: events counted, files as their MD5 (or <present> for volatile ones), alerts left out (parity compares them raw). */
export type NormalizedRun = Omit<InspectRun, 'events' | 'files' | 'alerts'> & {events: number; files: Record<string, string>}

/** One run, normalised. */
export function normalizeRun(r: InspectRun): NormalizedRun {
  return {
    entity: r.entity,
    project: r.project,
    id: r.id,
    // generated names end in the project's run counter, which depends on the order runs were created in
    displayName: r.displayName?.replace(/^([a-z]+-[a-z]+)-\d+$/, '$1-<n>') ?? null,
    state: r.state,
    exitCode: r.exitCode,
    config: normalizeConfig(r.config),
    summary: stripTiming(r.summary),
    history: r.history.map(stripTiming),
    events: r.events.length,
    // console lines lose their timestamps; the SDK's own messages in them name temp paths and ports
    // and say how long their steps took.
    // Trailing blanks go too: the SDK's download progress ends in two spaces that survive only when
    // its spinner line (printed only if 0.1 s passed) was overwritten, so they depend on timing.
    output: r.output.map((l) =>
      l
        .replace(CONSOLE_TS, (_m, err) => (err ? 'ERROR ' : ''))
        .replace(/\/tmp\/[^\s'"]+/g, '<path>')
        .replace(/127\.0\.0\.1:\d+/g, '<host>')
        .replace(/\d{8}_\d{6}/g, '<time>')
        // the SDK times its own steps ("Adding directory to artifact (…)... Done. 0.1s")
        .replace(/\bDone\. \d+\.\d+s\b/g, 'Done. <s>s')
        .trimEnd(),
    ),
    files: Object.fromEntries(
      Object.entries(r.files)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, f]) => [name, VOLATILE_FILES.has(name) ? '<present>' : f.md5]),
    ),
    tags: [...r.tags].sort(),
    notes: r.notes,
    group: r.group,
    jobType: r.jobType,
    sweep: r.sweep,
  }
}

/** Every run, normalised and sorted by entity/project/id. */
export function normalizeRuns(runs: InspectRun[]): NormalizedRun[] {
  return runs.map(normalizeRun).sort((a, b) => `${a.entity}/${a.project}/${a.id}`.localeCompare(`${b.entity}/${b.project}/${b.id}`))
}

/**
 * Runs created by a sweep agent have server-chosen ids (and so generated display names), and the
 * sweep's own id is server-chosen too: replace them by their position in the sweep's creation
 * order (`order`: run ids as /_inspect/sweeps lists them) and re-sort.
 */
export function normalizeSweepRuns(runs: NormalizedRun[], order: string[]): NormalizedRun[] {
  return runs
    .map((r) => {
      const i = order.indexOf(r.id)
      if (i < 0) return r
      return {...r, id: `<sweep-run-${i}>`, displayName: r.displayName === null ? null : '<generated>', sweep: r.sweep === null ? null : '<sweep>'}
    })
    .sort((a, b) => `${a.entity}/${a.project}/${a.id}`.localeCompare(`${b.entity}/${b.project}/${b.id}`))
}
