import {describe, expect, test} from 'bun:test'
import type {GraphQLClient, GraphQLOperation} from '../../src/core/api/index.ts'
import {Settings} from '../../src/core/proto.ts'
import {CoreWeaveProbe, ORGANIZATION_COREWEAVE_ORGANIZATION_ID, metadataUrl, parseCoreWeaveMetadata} from '../../src/core/runupserter/index.ts'
import {RecordingLogger} from './fakes.ts'

/** A GraphQL client answering the organization query with `orgId` (or failing), recording the operations. */
function fakeGraphql(answer: {orgId?: string | null; fail?: boolean}) {
  const ops: GraphQLOperation[] = []
  const client = {
    async request<T>(op: GraphQLOperation): Promise<T> {
      ops.push(op)
      if (answer.fail) throw new Error('graphql down')
      return {entity: {organization: answer.orgId === undefined ? null : {coreWeaveOrganizationId: answer.orgId}}} as T
    },
  } as unknown as GraphQLClient
  return {client, ops}
}

function fakeFetch(responses: (() => Response)[]) {
  const urls: string[] = []
  const f = (async (url: string | URL | Request) => {
    urls.push(String(url))
    const next = responses.shift()
    if (!next) throw new Error('unexpected request')
    return next()
  }) as typeof fetch
  return {f, urls}
}

const settings = Settings.create({x_stats_coreweave_metadata_base_url: {value: 'http://127.0.0.1:9/'}, x_stats_coreweave_metadata_endpoint: {value: '/api/v2/cloud-init/meta-data'}})
const METADATA = 'org_id: b13ad0\nregion: us-east-04\njoin_token: secret\ncluster_name: cks-wb\nmalformed line\n'

describe('CoreWeaveProbe', () => {
  test('asks for the entity organization, then reads the metadata server: cluster, org and region only', async () => {
    const g = fakeGraphql({orgId: 'cw1337'})
    const m = fakeFetch([() => new Response(METADATA)])
    const logger = new RecordingLogger()
    const probe = new CoreWeaveProbe({graphql: g.client, logger, settings, fetch: m.f})
    const record = await probe.probe('team', new AbortController().signal)
    expect(g.ops).toEqual([{query: ORGANIZATION_COREWEAVE_ORGANIZATION_ID, operationName: 'OrganizationCoreWeaveOrganizationID', variables: {entityName: 'team'}}])
    expect(m.urls).toEqual(['http://127.0.0.1:9/api/v2/cloud-init/meta-data'])
    expect(record?.coreweave).toEqual({cluster_name: 'cks-wb', org_id: 'b13ad0', region: 'us-east-04'})
    expect(JSON.stringify(logger.lines)).not.toContain('secret')
  })

  test('no organization, an empty id or a failed query: no metadata request', async () => {
    for (const answer of [{}, {orgId: null}, {orgId: ''}, {fail: true}]) {
      const m = fakeFetch([])
      const record = await new CoreWeaveProbe({graphql: fakeGraphql(answer).client, logger: new RecordingLogger(), settings, fetch: m.f}).probe('t', new AbortController().signal)
      expect(record).toBeUndefined()
      expect(m.urls).toEqual([])
    }
  })

  test('5xx answers are retried three times with growing waits; other statuses are not; failures are logged errors', async () => {
    const waits: number[] = []
    const sleep = async (ms: number) => void waits.push(ms)
    const logger = new RecordingLogger()
    const m = fakeFetch([503, 503, 503, 503].map((s) => () => new Response('busy', {status: s})))
    const failed = await new CoreWeaveProbe({graphql: fakeGraphql({orgId: 'cw'}).client, logger, settings, fetch: m.f, sleep}).probe('t', new AbortController().signal)
    expect(failed).toBeUndefined()
    expect(m.urls).toHaveLength(4)
    expect(waits).toEqual([1000, 2000, 4000])
    expect(logger.find('error', 'cwmetadata: error collecting data')[0].attrs?.error).toContain('unexpected status code 503')
    const once = fakeFetch([() => new Response('no', {status: 404}), () => new Response(METADATA)])
    expect(await new CoreWeaveProbe({graphql: fakeGraphql({orgId: 'cw'}).client, logger, settings, fetch: once.f, sleep}).probe('t', new AbortController().signal)).toBeUndefined()
    expect(once.urls).toHaveLength(1)
    const recovers = fakeFetch([
      () => {
        throw new TypeError('connection refused')
      },
      () => new Response(METADATA),
    ])
    const record = await new CoreWeaveProbe({graphql: fakeGraphql({orgId: 'cw'}).client, logger, settings, fetch: recovers.f, sleep}).probe('t', new AbortController().signal)
    expect(record?.coreweave?.cluster_name).toBe('cks-wb')
  })

  test('metadataUrl joins the base and the endpoint path and refuses other schemes', () => {
    expect(metadataUrl('http://169.254.169.254', '/api/v2/cloud-init/meta-data')).toBe('http://169.254.169.254/api/v2/cloud-init/meta-data')
    expect(metadataUrl('http://h:8080/base/', 'x/y')).toBe('http://h:8080/base/x/y')
    expect(() => metadataUrl('file:///etc', '/passwd')).toThrow('must be an http(s) URL')
    expect(parseCoreWeaveMetadata('cluster_name:  a:b \nregion:r')).toEqual({cluster_name: 'a:b', org_id: '', region: 'r'})
  })
})

describe('the hardware description waits for the run CoreWeave lookup', () => {
  test('SystemMonitor.probe resolves only after beforeHardwareProbe settles; lookups are found by the run Settings', async () => {
    const {SystemMonitor} = await import('../../src/sysinfo/index.ts')
    const {coreWeaveLookup, registerCoreWeaveLookup} = await import('../../src/core/runupserter/index.ts')
    const {systemClock} = await import('../../src/core/runtime/index.ts')
    const proto = Settings.create({x_disable_stats: {value: true}})
    let release: () => void = () => {}
    registerCoreWeaveLookup(proto, new Promise<void>((resolve) => (release = resolve)))
    expect(coreWeaveLookup(Settings.create({}))).toBeUndefined()
    const monitor = new SystemMonitor({settings: proto, clock: systemClock, logger: new RecordingLogger(), emit: async () => {}, resources: [], beforeHardwareProbe: () => coreWeaveLookup(proto)})
    let done = false
    const probed = monitor.probe().then((r) => ((done = true), r))
    await Bun.sleep(0)
    expect(done).toBe(false)
    release()
    expect(await probed).toHaveLength(2)
    await monitor.finish()
  })
})
