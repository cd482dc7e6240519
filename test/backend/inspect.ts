/**
 * The inspection views behind `GET /_inspect/runs|artifacts|sweeps`: deterministic JSON of the
 * stored state, for tests that diff what two clients left behind.
 *
 * Determinism rules: lists are sorted (runs by entity/project/id, artifacts by
 * entity/project/name/version, sweeps by entity/project/creation); object keys of parsed JSON are
 * sorted recursively; no server-generated ids or timestamps appear. Extended-JSON non-finite
 * numbers appear as the strings "NaN", "Infinity", "-Infinity" (extended-json.ts). `config`
 * holds plain values (unwrapped from {"value": v}) without the client-internal `_wandb` key.
 */
import {tryParseExtendedJson} from './extended-json.ts'
import {manifestEntries} from './manifest.ts'
import {EVENTS, HISTORY, OUTPUT, SUMMARY, type Store} from './store/index.ts'
import {parseSweepConfig} from './sweeps/config.ts'

/** A run as stored. */
export interface InspectRun {
  entity: string
  project: string
  id: string
  displayName: string | null
  state: string
  exitCode: number | null
  config: Record<string, unknown>
  summary: Record<string, unknown>
  history: Record<string, unknown>[]
  events: Record<string, unknown>[]
  output: string[]
  /** name → size in bytes and hex MD5 of the uploaded content (files never uploaded are omitted). */
  files: Record<string, {size: number; md5: string}>
  tags: string[]
  notes: string | null
  group: string | null
  jobType: string | null
  sweep: string | null
  alerts: {title: string | null; text: string | null; severity: string | null}[]
}

/** An artifact version as stored (`version` is null while it is not committed). */
export interface InspectArtifact {
  entity: string
  project: string
  name: string
  version: string | null
  type: string
  state: string
  digest: string
  aliases: string[]
  /** path → size and the manifest digest (base64 MD5 for uploaded files). */
  files: Record<string, {size: number; digest: string}>
  createdBy: string | null
  usedBy: string[]
  /** Portfolios this version is linked into: "entity/project/name:vN". */
  links: string[]
}

/** A sweep and the names of its runs (creation order). */
export interface InspectSweep {
  entity: string
  project: string
  id: string
  state: string
  method: string | null
  config: Record<string, unknown>
  runs: {id: string; state: string; config: Record<string, unknown>}[]
}

/** Every run, sorted by entity, project, run id. */
export function inspectRuns(store: Store): InspectRun[] {
  return store.runs.listAll().map((r) => ({
    entity: r.entity,
    project: r.project,
    id: r.name,
    displayName: r.display_name,
    state: r.state,
    exitCode: r.exit_code,
    config: plainConfig(r.config),
    summary: objectOf(store.lines.last(r.id, SUMMARY) ?? r.summary_metrics),
    history: store.lines.lines(r.id, HISTORY).map(objectOf),
    events: store.lines.lines(r.id, EVENTS).map(objectOf),
    output: store.lines.lines(r.id, OUTPUT),
    files: Object.fromEntries(
      store.runFiles
        .files(r.id)
        .filter((f) => f.md5 !== null)
        .map((f) => [f.name, {size: f.size ?? 0, md5: f.md5 as string}]),
    ),
    tags: ((tryParseExtendedJson(r.tags, []) ?? []) as string[]).slice().sort(),
    notes: r.notes,
    group: r.group_name,
    jobType: r.job_type,
    sweep: r.sweep_name,
    alerts: store.runFiles.alerts(r.id).map((a) => ({title: a.title, text: a.text, severity: a.severity})),
  }))
}

/** Every artifact version of every sequence, sorted by entity, project, name, version. */
export function inspectArtifacts(store: Store): InspectArtifact[] {
  const out: (InspectArtifact & {order: number})[] = []
  for (const a of store.artifacts.list()) {
    const seq = store.collections.get(a.sequence_id)
    const project = seq ? store.projects.get(seq.project_id) : null
    if (!seq || !project) continue
    const runName = (id: number | null) => (id === null ? null : (store.runs.get(id)?.name ?? null))
    const links = store.collections
      .aliasesOf(a.id)
      .map((al) => store.collections.get(al.collection_id))
      .filter((c) => c !== null && c.kind === 'portfolio')
    const linkNames = [
      ...new Set(
        links.map((c) => {
          const p = store.projects.get(c!.project_id)
          const m = store.collections.membershipOf(c!.id, a.id)
          return `${p?.entity}/${p?.name}/${c!.name}:v${m?.version_index}`
        }),
      ),
    ].sort()
    out.push({
      entity: project.entity,
      project: project.name,
      name: seq.name,
      version: a.version_index === null ? null : `v${a.version_index}`,
      type: a.type_name,
      state: a.state,
      digest: a.digest,
      aliases: store.collections
        .aliasesIn(seq.id, a.id)
        .map((x) => x.alias)
        .sort(),
      files: Object.fromEntries(manifestEntries(store, a.id).map((e) => [e.path, {size: e.size, digest: e.digest}])),
      createdBy: runName(a.run_id),
      usedBy: store.artifacts
        .usedBy(a.id)
        .map(runName)
        .filter((n): n is string => n !== null)
        .sort(),
      links: linkNames,
      order: a.version_index ?? Number.MAX_SAFE_INTEGER - 1_000_000 + a.id,
    })
  }
  out.sort((x, y) => cmp(x.entity, y.entity) || cmp(x.project, y.project) || cmp(x.name, y.name) || x.order - y.order)
  return out.map(({order: _order, ...rest}) => rest)
}

/** Every sweep with its runs. */
export function inspectSweeps(store: Store): InspectSweep[] {
  const out: InspectSweep[] = []
  const projects = new Map<number, {entity: string; name: string}>()
  for (const r of store.db.query<{id: number; project_id: number}, []>('SELECT id, project_id FROM sweeps ORDER BY id').all()) {
    const s = store.sweeps.get(r.id)
    if (!s) continue
    const p = projects.get(s.project_id) ?? store.projects.get(s.project_id)
    if (!p) continue
    projects.set(s.project_id, p)
    const config = parseSweepConfig(s.config)
    out.push({
      entity: p.entity,
      project: p.name,
      id: s.name,
      state: s.state,
      method: config.method ?? null,
      config: sortKeys(config) as Record<string, unknown>,
      runs: store.runs.listBySweep(s.project_id, s.name).map((run) => ({id: run.name, state: run.state, config: plainConfig(run.config)})),
    })
  }
  return out.sort((a, b) => cmp(a.entity, b.entity) || cmp(a.project, b.project))
}

/** Config JSON ({k: {value: v}}) → {k: v} without `_wandb`, keys sorted. */
function plainConfig(json: string | null): Record<string, unknown> {
  const parsed = (tryParseExtendedJson(json, {}) ?? {}) as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(parsed).sort()) {
    if (k === '_wandb') continue
    const v = parsed[k]
    out[k] = sortKeys(v !== null && typeof v === 'object' && !Array.isArray(v) && 'value' in v ? (v as {value: unknown}).value : v)
  }
  return out
}

function objectOf(line: string | null): Record<string, unknown> {
  const v = tryParseExtendedJson(line, {})
  return (v !== null && typeof v === 'object' && !Array.isArray(v) ? sortKeys(v) : {value: v}) as Record<string, unknown>
}

/** Code-unit order, like SQLite's BINARY collation used for the runs (locale-independent). */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Recursively sorts object keys (arrays keep their order). */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (v === null || typeof v !== 'object') return v
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k])
  return out
}
