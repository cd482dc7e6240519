import {afterEach, describe, expect, test} from 'bun:test'
import {ServerFeature, type ApiResponse} from '../../../src/core/proto.ts'
import {FakeWandbApi, gqlData} from './fake-wandb-api.ts'
import {errorOf, openSession} from './helpers.ts'

let fake: FakeWandbApi
afterEach(() => fake?.stop())

const server = (...features: ServerFeature[]) => ({
  oneofKind: 'features_request' as const,
  features_request: {request: {oneofKind: 'server' as const, server: {features}}},
})
const org = (name: string, ...features: string[]) => ({
  oneofKind: 'features_request' as const,
  features_request: {request: {oneofKind: 'org' as const, org: {org: name, features}}},
})

function featuresOf(res: ApiResponse | undefined) {
  return res?.response.oneofKind === 'features_response' ? res.response.features_response.response : undefined
}

const FEATURES = {
  serverInfo: {
    features: [
      {name: 'LARGE_FILENAMES', isEnabled: true},
      {name: 'ARTIFACT_TAGS', isEnabled: false},
      {name: 'MARK_RUN_FILES_UPLOADED', isEnabled: true},
      {name: 'SOMETHING_NEWER_THAN_THE_PROTO', isEnabled: true},
    ],
  },
}

describe('features_request: server', () => {
  test('answers the requested features that are enabled, querying the server once per session', async () => {
    fake = new FakeWandbApi({graphql: () => gqlData(FEATURES)})
    const s = openSession(fake)
    const first = featuresOf(await s.call(server(ServerFeature.LARGE_FILENAMES, ServerFeature.ARTIFACT_TAGS, ServerFeature.CLIENT_IDS)))
    expect(first).toEqual({oneofKind: 'server', server: {enabled: [ServerFeature.LARGE_FILENAMES]}})
    const second = featuresOf(await s.call(server(ServerFeature.MARK_RUN_FILES_UPLOADED)))
    expect(second).toEqual({oneofKind: 'server', server: {enabled: [ServerFeature.MARK_RUN_FILES_UPLOADED]}})
    expect(fake.graphql.map((r) => r.operationName)).toEqual(['ServerFeaturesQuery'])
  })

  test('a server without the features field means every feature is off, and the query is tried again next time', async () => {
    fake = new FakeWandbApi({graphql: () => Response.json({errors: [{message: 'Cannot query field "features" on type "ServerInfo".'}]})})
    const s = openSession(fake)
    expect(featuresOf(await s.call(server(ServerFeature.LARGE_FILENAMES)))).toEqual({oneofKind: 'server', server: {enabled: []}})
    await s.call(server(ServerFeature.LARGE_FILENAMES))
    expect(fake.to('/graphql')).toHaveLength(2)
  })
})

describe('features_request: org', () => {
  test('answers the requested flags that exist, with their values', async () => {
    fake = new FakeWandbApi({
      graphql: (body) => {
        expect(body.variables).toEqual({org: 'acme'})
        return gqlData({
          organization: {
            featureFlags: [
              {rampKey: 'a', isEnabled: true},
              {rampKey: 'b', isEnabled: false},
              {rampKey: 'c', isEnabled: true},
            ],
          },
        })
      },
    })
    expect(featuresOf(await openSession(fake).call(org('acme', 'a', 'b', 'missing')))).toEqual({oneofKind: 'org', org: {features: {a: true, b: false}}})
    expect(fake.graphql[0].operationName).toBe('OrgFeatureFlags')
  })

  test('no flags asked means no query; flags without an org are refused', async () => {
    fake = new FakeWandbApi()
    const s = openSession(fake)
    expect(featuresOf(await s.call(org('')))).toEqual({oneofKind: 'org', org: {features: {}}})
    expect(errorOf(await s.call(org('', 'a')))?.message).toBe('org is required to check organization feature flags')
    expect(fake.to('/graphql')).toHaveLength(0)
  })

  test("a failed query is an error with the server's status", async () => {
    fake = new FakeWandbApi({graphql: () => Response.json({errors: [{message: 'no such organization'}]}, {status: 404})})
    expect(errorOf(await openSession(fake).call(org('acme', 'a')))).toMatchObject({message: 'no such organization', http_status: 404})
  })
})
