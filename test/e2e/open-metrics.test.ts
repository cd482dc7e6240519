/**
 * OpenMetrics scraping with the real SDK 0.31 on Go core and on nexus, against a real exporter
 * (prometheus_client, test/sysinfo/open_metrics_exporter.py) on 127.0.0.1: both services must
 * report the same `system.openmetrics.*` keys with the same values (the exporter's values do not
 * change), without filters and with each form of x_stats_open_metrics_filters, and both must send
 * the configured headers. A second endpoint that answers 500 yields no keys and breaks nothing.
 * The nexus run launched with WANDB_ENABLE_DCGM_PROFILING says once in its log that nexus does not
 * collect DCGM profiling metrics.
 */
import {afterAll, beforeAll, describe, expect, test} from 'bun:test'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {type Backend, startBackend} from '../backend/index.ts'
import {requirePython} from '../helpers/python.ts'
import {DCGM_PROFILING_UNSUPPORTED} from '../../src/sysinfo/index.ts'
import {type CoreKind, runScenario} from './harness.ts'

const SYSINFO = join(import.meta.dir, '..', 'sysinfo')

let backend: Backend
let exporter: ReturnType<typeof Bun.spawn>
let base = ''

beforeAll(async () => {
  backend = await startBackend({quiet: true})
  exporter = Bun.spawn([requirePython(), join(SYSINFO, 'open_metrics_exporter.py')], {stdin: 'ignore', stdout: 'pipe', stderr: 'inherit'})
  const reader = (exporter.stdout as ReadableStream<Uint8Array>).getReader()
  let text = ''
  while (!text.includes('\n')) {
    const {value, done} = await reader.read()
    if (done) throw new Error(`the exporter exited before listening: ${text}`)
    text += new TextDecoder().decode(value)
  }
  reader.releaseLock()
  const port = /^ready (\d+)/.exec(text)?.[1]
  if (!port) throw new Error(`unexpected exporter output: ${text}`)
  base = `http://127.0.0.1:${port}`
})

afterAll(async () => {
  exporter?.kill()
  await exporter?.exited
  await backend?.stop()
})

interface Scraped {
  /** Every system.openmetrics.* key any stats event had, sorted. */
  keys: string[]
  /** The value of each key in the last event that had it. */
  values: Record<string, unknown>
  /** The run's debug-internal.log. */
  log: string
}

async function scrape(core: CoreKind, runId: string, settings: Record<string, unknown>, env: Record<string, string> = {}): Promise<Scraped> {
  const r = await runScenario('open-metrics', {
    core,
    backend,
    runId,
    script: join(SYSINFO, 'open_metrics_run.py'),
    timeoutMs: 120_000,
    env: {OM_SETTINGS: JSON.stringify(settings), ...env},
  })
  if (r.code !== 0) throw new Error(`${core} run failed (${r.code}): ${r.stderr.slice(-3000)}`)
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {id: string; dir: string}
  const run = (await backend.inspectRuns()).find((x) => x.id === out.id)
  if (!run) throw new Error(`the backend has no run ${out.id}`)
  expect(run.summary.scraped).toBe(true)
  const values: Record<string, unknown> = {}
  for (const e of run.events) for (const [k, v] of Object.entries(e)) if (k.startsWith('system.openmetrics.')) values[k] = v
  return {keys: Object.keys(values).sort(), values, log: readFileSync(join(out.dir, 'logs', 'debug-internal.log'), 'utf8')}
}

/** Go and nexus, at the same time, with the same settings; each run sends its own X-Test-Run header. */
async function both(name: string, settings: Record<string, unknown>, env: Record<string, string> = {}) {
  const run = (core: CoreKind) =>
    scrape(
      core,
      `om${name}${core}`,
      {
        ...settings,
        x_stats_open_metrics_endpoints: {node1: `${base}/metrics`, broken: `${base}/fail`},
        x_stats_open_metrics_http_headers: {'X-Test-Run': `${name}-${core}`, Authorization: 'Bearer om-test-token'},
      },
      env,
    )
  const [go, nexus] = await Promise.all([run('go'), run('nexus')])
  return {go, nexus}
}

/** The headers (names lowercased) of the exporter's /metrics requests of one X-Test-Run. */
async function requestsOf(run: string): Promise<Record<string, string>[]> {
  const seen = (await (await fetch(`${base}/requests`)).json()) as Record<string, Record<string, string>[]>
  return (seen[run] ?? []).map((h) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v])))
}

describe('OpenMetrics endpoints (x_stats_open_metrics_endpoints), Go core vs nexus', () => {
  test('without filters: every gauge and counter, label sets numbered in order of appearance; headers reach the exporter', async () => {
    const {go, nexus} = await both('all', {}, {WANDB_ENABLE_DCGM_PROFILING: 'true'})
    const expected = {
      'system.openmetrics.node1.gpu_temp_celsius.0': 40,
      'system.openmetrics.node1.gpu_temp_celsius.1': 41.5,
      'system.openmetrics.node1.queue_depth.0': 3,
      'system.openmetrics.node1.http_requests_total.0': 7,
      'system.openmetrics.node1.http_requests_total.1': 2,
      'system.openmetrics.node1.label_text.0': 1,
    }
    expect(go.values).toMatchObject(expected)
    expect(nexus.keys).toEqual(go.keys)
    // *_created are gauges holding the exporter's start time; histograms (latency_seconds_*) are not reported
    expect(go.keys.filter((k) => k.includes('_created'))).toEqual([
      'system.openmetrics.node1.http_requests_created.0',
      'system.openmetrics.node1.http_requests_created.1',
      'system.openmetrics.node1.latency_seconds_created.0',
    ])
    expect(nexus.values).toEqual(go.values)
    expect(go.keys.some((k) => k.includes('broken') || k.includes('latency_seconds_bucket'))).toBe(false)
    for (const core of ['go', 'nexus']) {
      const requests = await requestsOf(`all-${core}`)
      expect(requests.length).toBeGreaterThanOrEqual(2)
      for (const headers of requests) expect(headers.authorization).toBe('Bearer om-test-token')
    }
    // the SDK passed --enable-dcgm-profiling: nexus says once that it does not collect those metrics
    expect(nexus.log.split(DCGM_PROFILING_UNSUPPORTED).length - 1).toBe(1)
    expect(nexus.log).toContain('"level":"WARN"')
  }, 180_000)

  test('a sequence of filters keeps the metrics whose <endpoint>.<metric> name matches one of them', async () => {
    const {go, nexus} = await both('seq', {x_stats_open_metrics_filters: ['node1.gpu_temp', '^node1\\.queue_']})
    expect(go.keys).toEqual(['system.openmetrics.node1.gpu_temp_celsius.0', 'system.openmetrics.node1.gpu_temp_celsius.1', 'system.openmetrics.node1.queue_depth.0'])
    expect(nexus.values).toEqual(go.values)
    expect(nexus.log).not.toContain(DCGM_PROFILING_UNSUPPORTED)
  }, 180_000)

  test('a mapping of filters also needs each label regex to match; label sets are numbered among the kept samples', async () => {
    const {go, nexus} = await both('map', {
      x_stats_open_metrics_filters: {'node1.gpu_temp_celsius': {pod: '^other$'}, '.*_total': {code: '5..'}, queue_depth: {missing: '.*'}},
    })
    expect(go.values).toEqual({'system.openmetrics.node1.gpu_temp_celsius.0': 41.5, 'system.openmetrics.node1.http_requests_total.0': 2})
    expect(nexus.values).toEqual(go.values)
  }, 180_000)
})
