import {afterEach, describe, expect, test} from 'bun:test'
import {Settings} from '../../src/core/proto.ts'
import {OpenMetricsFilter, OpenMetricsResource, compileRegex, createResources, monitorSettings, openMetricsFilterSpecs, parseExposition, parseLabels} from '../../src/sysinfo/index.ts'
import {RecordingLogger} from './fakes.ts'

const TEXT = `# HELP temp GPU temperature
# TYPE temp gauge
temp{gpu="0",pod="wandb-1"} 40
temp{gpu="1",pod="other"} 41 1700000000000
# TYPE requests_total counter
requests_total 7
untyped_metric 3
# TYPE latency histogram
latency_bucket{le="+Inf"} 1
latency_count 1
# TYPE odd gauge
odd{a="x"} NaN
odd{a="y"} +Inf
odd{a="z"} not-a-number
odd{a="w} 5
`

describe('parseExposition', () => {
  test('keeps typed gauges and counters, with labels and values; skips untyped, histogram series and bad lines', () => {
    const samples = parseExposition(TEXT)
    expect(samples.map((s) => [s.metric, Object.fromEntries(s.labels), s.value])).toEqual([
      ['temp', {gpu: '0', pod: 'wandb-1'}, 40],
      ['temp', {gpu: '1', pod: 'other'}, 41],
      ['requests_total', {}, 7],
      ['odd', {a: 'x'}, NaN],
      ['odd', {a: 'y'}, Infinity],
    ])
  })

  test('a sample before its TYPE line is not reported', () => {
    expect(parseExposition('m 1\n# TYPE m gauge\nm 2\n').map((s) => s.value)).toEqual([2])
  })

  test('label values may hold commas, escaped quotes, backslashes and newlines', () => {
    expect(Object.fromEntries(parseLabels(String.raw`a="x,y", b="say \"hi\"",c="back\\slash\n"`)!)).toEqual({a: 'x,y', b: 'say "hi"', c: 'back\\slash\n'})
    expect(parseLabels('a=unquoted')).toBeUndefined()
    expect(parseLabels('a="open')).toBeUndefined()
  })
})

describe('OpenMetricsFilter', () => {
  const labels = (o: Record<string, string>) => new Map(Object.entries(o))
  test('no filters keep everything; a regex matches <endpoint>.<metric> anywhere', () => {
    expect(new OpenMetricsFilter([]).keep('n', 'anything', labels({}))).toBe(true)
    const f = new OpenMetricsFilter(openMetricsFilterSpecs({value: {oneofKind: 'sequence', sequence: {value: ['node[0-9].req']}}}))
    expect(f.keep('node1', 'requests_total', labels({}))).toBe(true)
    expect(f.keep('nodeA', 'requests_total', labels({}))).toBe(false)
  })

  test('a mapping also needs every label regex to match a label the sample has', () => {
    const specs = openMetricsFilterSpecs({value: {oneofKind: 'mapping', mapping: {value: {'.*temp': {value: {pod: '^wandb-'}}}}}})
    const f = new OpenMetricsFilter(specs)
    expect(f.keep('n', 'temp', labels({pod: 'wandb-1'}))).toBe(true)
    expect(f.keep('n', 'temp', labels({pod: 'other'}))).toBe(false)
    expect(f.keep('n', 'temp', labels({}))).toBe(false)
  })

  test('a regex that does not compile matches nothing and is reported; a leading (?i) is a flag', () => {
    const invalid: string[] = []
    const f = new OpenMetricsFilter([{metricRegex: '(', labelRegexes: new Map()}], (spec) => invalid.push(spec.metricRegex))
    expect(f.keep('n', 'm', labels({}))).toBe(false)
    expect(invalid).toEqual(['('])
    expect(compileRegex('(?i)^N\\.M$').test('n.m')).toBe(true)
  })
})

describe('OpenMetricsResource against a loopback exporter', () => {
  let servers: {stop(force?: boolean): Promise<void> | void}[] = []
  afterEach(async () => {
    for (const s of servers) await s.stop(true)
    servers = []
  })

  function exporter(pages: (n: number, req: Request) => Response | Promise<Response>) {
    let n = 0
    const seen: Headers[] = []
    const server = Bun.serve({hostname: '127.0.0.1', port: 0, fetch: (req) => (seen.push(req.headers), pages(++n, req))})
    servers.push(server)
    return {url: `http://127.0.0.1:${server.port}/metrics`, seen}
  }

  test('keys are openmetrics.<endpoint>.<metric>.<index>; a label set keeps its index across scrapes; headers are sent', async () => {
    const bodies = ['# TYPE m gauge\nm{a="1"} 1\nm{a="2"} 2\n', '# TYPE m gauge\nm{a="2"} 5\nm{a="3"} 6\nm{a="1"} 4\n']
    const e = exporter((n) => new Response(bodies[Math.min(n, 2) - 1]))
    const r = new OpenMetricsResource({endpoints: new Map([['n', e.url]]), filters: [], headers: new Map([['Authorization', 'Bearer t']]), logger: new RecordingLogger()})
    expect(Object.fromEntries(await r.sample())).toEqual({'openmetrics.n.m.0': 1, 'openmetrics.n.m.1': 2})
    expect(Object.fromEntries(await r.sample())).toEqual({'openmetrics.n.m.1': 5, 'openmetrics.n.m.2': 6, 'openmetrics.n.m.0': 4})
    expect(e.seen.map((h) => h.get('authorization'))).toEqual(['Bearer t', 'Bearer t'])
    expect(await r.probe()).toEqual({})
  })

  test('a failing endpoint costs only its own keys; the failure is a warning once, then debug, until it answers again', async () => {
    const good = exporter(() => new Response('# TYPE up gauge\nup 1\n'))
    const bad = exporter((n) => (n <= 2 ? new Response('broken', {status: 500}) : new Response('# TYPE up gauge\nup 2\n')))
    const logger = new RecordingLogger()
    const r = new OpenMetricsResource({
      endpoints: new Map([
        ['good', good.url],
        ['bad', bad.url],
      ]),
      filters: [],
      headers: new Map(),
      logger,
    })
    expect(Object.fromEntries(await r.sample())).toEqual({'openmetrics.good.up.0': 1})
    expect(Object.fromEntries(await r.sample())).toEqual({'openmetrics.good.up.0': 1})
    expect(logger.find('warn', 'sysinfo: failed to scrape').map((l) => l.attrs?.error)).toEqual(['HTTP status 500'])
    expect(logger.find('debug', 'sysinfo: failed to scrape')).toHaveLength(1)
    expect(Object.fromEntries(await r.sample())).toEqual({'openmetrics.good.up.0': 1, 'openmetrics.bad.up.0': 2})
    expect(logger.find('info', 'sysinfo: OpenMetrics endpoint answers again')).toHaveLength(1)
  })

  test('an endpoint that does not answer within the limit yields nothing for that sample', async () => {
    let release: () => void = () => {}
    const hanging = exporter(() => new Promise<Response>((resolve) => (release = () => resolve(new Response('')))))
    const logger = new RecordingLogger()
    const r = new OpenMetricsResource({endpoints: new Map([['slow', hanging.url]]), filters: [], headers: new Map(), logger, timeoutMs: 100})
    expect((await r.sample()).size).toBe(0)
    expect(logger.find('warn', 'sysinfo: failed to scrape')[0].attrs?.error).toBe('no answer within 100 ms')
    release()
  })

  test('URLs that are not http(s) are refused at construction; credentials in a URL are never logged', async () => {
    const logger = new RecordingLogger()
    const r = new OpenMetricsResource({
      endpoints: new Map([
        ['file', 'file:///etc/passwd'],
        ['junk', 'not a url'],
        ['creds', 'http://user:hunter2@127.0.0.1:1/metrics'],
      ]),
      filters: [],
      headers: new Map(),
      logger,
    })
    expect(r.endpoints.map((e) => e.name)).toEqual(['creds'])
    expect(logger.find('warn', 'sysinfo: OpenMetrics endpoint').map((l) => l.msg)).toEqual([
      'sysinfo: OpenMetrics endpoint "file" is not scraped: only http and https URLs are scraped, not file:',
      'sysinfo: OpenMetrics endpoint "junk" is not scraped: its URL does not parse',
    ])
    expect((await r.sample()).size).toBe(0)
    expect(JSON.stringify(logger.lines)).not.toContain('hunter2')
  })
})

describe('settings', () => {
  test('monitorSettings reads endpoints, filters and headers; createResources adds the resource only with endpoints', async () => {
    const s = monitorSettings(
      Settings.create({
        x_stats_open_metrics_endpoints: {value: {dcgm: 'http://127.0.0.1:9400/metrics'}},
        x_stats_open_metrics_filters: {value: {oneofKind: 'sequence', sequence: {value: ['DCGM_FI_DEV_GPU_TEMP']}}},
        x_stats_open_metrics_http_headers: {value: {'X-Token': 't'}},
      }),
    )
    expect([...s.openMetricsEndpoints]).toEqual([['dcgm', 'http://127.0.0.1:9400/metrics']])
    expect(s.openMetricsFilters).toEqual([{metricRegex: 'DCGM_FI_DEV_GPU_TEMP', labelRegexes: new Map()}])
    expect([...s.openMetricsHeaders]).toEqual([['X-Token', 't']])
    const withEndpoints = await createResources(s, {now: Date.now, logger: new RecordingLogger(), platform: 'aix'})
    expect(withEndpoints.map((r) => r.name)).toEqual(['openmetrics'])
    const without = await createResources(monitorSettings(Settings.create({})), {now: Date.now, logger: new RecordingLogger(), platform: 'aix'})
    expect(without).toEqual([])
  })
})
