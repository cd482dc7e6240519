/**
 * What the scheduler loop itself reads from the sweep's config (Go's sweepConfig): the objective
 * metric name(s) and `run_cap`. Everything else only matters to the client's optimizer.
 */
import {parse} from 'yaml'
import {errorMessage} from '../../errors.ts'
import {SchedulerConfigError} from './errors.ts'

export interface SweepLoopSettings {
  /** The objectives: a multi-objective sweep's `metrics` names, else its one `metric.name`. */
  metricKeys: string[]
  /** 0 = uncapped. */
  runCap: number
}

/** Parses the sweep's YAML; throws SchedulerConfigError when no objective is named. */
export function parseLoopSettings(configYaml: string): SweepLoopSettings {
  let doc: unknown
  try {
    doc = parse(configYaml)
  } catch (err) {
    throw new SchedulerConfigError(`scheduler: parsing sweep config: ${errorMessage(err)}`, {cause: err})
  }
  const cfg = (doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? doc : {}) as Record<string, unknown>
  const metricName = nameOf(cfg.metric)
  const metrics = Array.isArray(cfg.metrics) ? cfg.metrics : []
  metrics.forEach((m, i) => {
    if (nameOf(m) === '') throw new SchedulerConfigError(`scheduler: the sweep config's metrics[${i}] has no name`)
  })
  if (metrics.length > 0 && metricName !== '') throw new SchedulerConfigError('scheduler: the sweep config sets both metric and metrics')
  if (metrics.length === 0 && metricName === '') throw new SchedulerConfigError('scheduler: the sweep config names no objective metric')
  const runCap = typeof cfg.run_cap === 'number' && Number.isInteger(cfg.run_cap) ? cfg.run_cap : 0
  return {metricKeys: metrics.length > 0 ? metrics.map(nameOf) : [metricName], runCap}
}

function nameOf(v: unknown): string {
  if (v === null || typeof v !== 'object') return ''
  const name = (v as {name?: unknown}).name
  return typeof name === 'string' ? name : name === undefined || name === null ? '' : String(name)
}
