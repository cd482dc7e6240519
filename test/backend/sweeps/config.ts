/**
 * Sweep configurations: the YAML document `wandb sweep` uploads (method, program, parameters,
 * metric, run_cap …), parsed and flattened into parameter leaves for the search algorithms.
 */
import YAML from 'yaml'

/** One parameter's specification, as in the sweep config. */
export interface ParamSpec {
  value?: unknown
  values?: unknown[]
  probabilities?: number[]
  distribution?: string
  min?: number
  max?: number
  mu?: number
  sigma?: number
  q?: number
  a?: number
  b?: number
  parameters?: Record<string, ParamSpec>
}

/** The parts of a sweep config the controller reads. */
export interface SweepConfig {
  method?: string
  name?: string
  program?: string
  command?: unknown[]
  metric?: {name?: string; goal?: 'minimize' | 'maximize'}
  parameters?: Record<string, ParamSpec>
  run_cap?: number
  controller?: {type?: string}
}

/** A parameter leaf: its path through nested `parameters` and its spec. */
export interface ParamLeaf {
  path: string[]
  spec: ParamSpec
}

/** The search methods the controller implements (`bayes` samples like `random`). */
export const METHODS = ['grid', 'random', 'bayes'] as const

/** Parses the YAML (or JSON) text; returns {} for empty or non-object documents. Never throws. */
export function parseSweepConfig(text: string | null | undefined): SweepConfig {
  if (!text) return {}
  try {
    const v = YAML.parse(text) as unknown
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as SweepConfig) : {}
  } catch {
    return {}
  }
}

/**
 * Checks a config the way the server does before storing a sweep. Returns a list of problems;
 * an empty list means the controller can run it.
 */
export function validateSweepConfig(text: string): string[] {
  let raw: unknown
  try {
    raw = YAML.parse(text)
  } catch (e) {
    return [`invalid sweep config YAML: ${(e as Error).message}`]
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return ['sweep config must be a mapping']
  const config = raw as SweepConfig
  const problems: string[] = []
  if (!config.method) problems.push('sweep config has no method')
  else if (!(METHODS as readonly string[]).includes(config.method)) problems.push(`unsupported sweep method: ${config.method}`)
  if (!config.parameters || typeof config.parameters !== 'object') problems.push('sweep config has no parameters')
  if (config.method === 'grid') {
    for (const leaf of paramLeaves(config)) {
      if (gridValues(leaf.spec) === null) problems.push(`grid search needs discrete values for parameter ${leaf.path.join('.')}`)
    }
  }
  return problems
}

/** Every parameter leaf, depth-first, keys in sorted order (the grid order). */
export function paramLeaves(config: SweepConfig): ParamLeaf[] {
  const out: ParamLeaf[] = []
  const walk = (params: Record<string, ParamSpec>, prefix: string[]) => {
    for (const key of Object.keys(params).sort()) {
      const spec = params[key] ?? {}
      if (spec.parameters && typeof spec.parameters === 'object') walk(spec.parameters, [...prefix, key])
      else out.push({path: [...prefix, key], spec})
    }
  }
  walk(config.parameters ?? {}, [])
  return out
}

/** The discrete values a grid enumerates for one spec, or null when it is continuous. */
export function gridValues(spec: ParamSpec): unknown[] | null {
  if (Array.isArray(spec.values)) return spec.values
  if ('value' in spec) return [spec.value]
  const dist = spec.distribution
  if ((dist === 'int_uniform' || (!dist && Number.isInteger(spec.min) && Number.isInteger(spec.max))) && typeof spec.min === 'number' && typeof spec.max === 'number') {
    return Array.from({length: spec.max - spec.min + 1}, (_, i) => (spec.min as number) + i)
  }
  if (dist === 'q_uniform' && typeof spec.min === 'number' && typeof spec.max === 'number') {
    const q = spec.q ?? 1
    const out: number[] = []
    for (let x = Math.ceil(spec.min / q) * q; x <= spec.max + 1e-12; x += q) out.push(Number(x.toFixed(12)))
    return out
  }
  return null
}

/** Builds the agent's `args` ({top: {value: v}}) from leaf values, nesting as in the config. */
export function toArgs(leaves: ParamLeaf[], values: unknown[]): Record<string, {value: unknown}> {
  const nested: Record<string, unknown> = {}
  leaves.forEach((leaf, i) => {
    let node = nested
    for (const k of leaf.path.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>
    node[leaf.path[leaf.path.length - 1]] = values[i]
  })
  return Object.fromEntries(Object.entries(nested).map(([k, v]) => [k, {value: v}]))
}
