/**
 * The CoreWeave metadata probe, Go core 0.31 vs nexus, each against its own local backend and its
 * own fake instance-metadata server on 127.0.0.1 (x_stats_coreweave_metadata_base_url): both ask
 * the backend OrganizationCoreWeaveOrganizationID once per online run; only for an entity in a
 * CoreWeave organization (the backend's `coreweave-` entities) do they read the metadata server,
 * and then wandb-metadata.json holds the cluster, organization and region and none of the
 * credentials the server also returns. x_disable_stats runs ask nothing.
 */
import {describe, expect, test} from 'bun:test'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {type CoreKind, runScenario} from '../e2e/harness.ts'
import {startBackend} from './index.ts'

const METADATA = `calico_cleanup_api:
k8s_version: v1.31
org_id: b13ad0
region: us-east-04
join_token: 6r2nt2.secretjointoken
cluster_name: cks-wb
teleport_token: a5b0f5d6645183e3secret
apiserver: 100.124.0.152`

interface Outcome {
  /** GraphQL operation names the backend received, in order. */
  operations: string[]
  /** Paths the metadata server was asked for. */
  metadataPaths: string[]
  metadataJson: Record<string, unknown>
  metadataText: string
}

async function runOn(core: CoreKind, o: {entity: string; settings?: Record<string, unknown>}): Promise<Outcome> {
  await using backend = await startBackend({quiet: true})
  const metadataPaths: string[] = []
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch(req) {
      metadataPaths.push(new URL(req.url).pathname)
      return new Response(METADATA)
    },
  })
  const r = await runScenario('coreweave', {
    core,
    backend,
    runId: `cw${core.replace('-', '')}`,
    script: join(import.meta.dir, 'coreweave_run.py'),
    timeoutMs: 120_000,
    env: {
      WANDB_ENTITY: o.entity,
      CW_SETTINGS: JSON.stringify({x_stats_coreweave_metadata_base_url: `http://127.0.0.1:${server.port}`, x_stats_sampling_interval: 60, ...o.settings}),
    },
  }).finally(() => server.stop(true))
  if (r.code !== 0) throw new Error(`${core} run failed (${r.code}): ${r.stderr.slice(-3000)}`)
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {dir: string}
  const operations = (await backend.inspectRequests()).map((q) => q.operation).filter((x): x is string => x !== null)
  expect(await backend.inspectUnknown()).toEqual([])
  let metadataText = ''
  try {
    metadataText = readFileSync(join(out.dir, 'files', 'wandb-metadata.json'), 'utf8')
  } catch {
    // no machine description was written
  }
  return {operations, metadataPaths, metadataText, metadataJson: metadataText ? (JSON.parse(metadataText) as Record<string, unknown>) : {}}
}

const count = (ops: string[], name: string) => ops.filter((op) => op === name).length

describe('CoreWeave instance metadata (OrganizationCoreWeaveOrganizationID), Go core vs nexus', () => {
  test('an entity in a CoreWeave organization: one query, one metadata read, cluster/org/region in wandb-metadata.json', async () => {
    const [go, nexus] = await Promise.all((['go', 'nexus'] as const).map((core) => runOn(core, {entity: 'coreweave-team'})))
    for (const o of [go, nexus]) {
      expect(count(o.operations, 'OrganizationCoreWeaveOrganizationID')).toBe(1)
      expect(o.metadataPaths).toEqual(['/api/v2/cloud-init/meta-data'])
      expect(o.metadataJson.coreweave).toEqual({clusterName: 'cks-wb', orgId: 'b13ad0', region: 'us-east-04'})
      expect(o.metadataText).not.toContain('secret')
    }
    // the query comes after the run exists on the server
    expect(nexus.operations.indexOf('OrganizationCoreWeaveOrganizationID')).toBeGreaterThan(nexus.operations.indexOf('UpsertBucket'))
  }, 180_000)

  test('an entity without a CoreWeave organization: the query, and no metadata read', async () => {
    const [go, nexus] = await Promise.all((['go', 'nexus'] as const).map((core) => runOn(core, {entity: 'plain-team'})))
    for (const o of [go, nexus]) {
      expect(count(o.operations, 'OrganizationCoreWeaveOrganizationID')).toBe(1)
      expect(o.metadataPaths).toEqual([])
      expect(o.metadataJson.coreweave).toBeUndefined()
    }
  }, 180_000)

  test('x_disable_stats: no query and no metadata read, even for a CoreWeave entity', async () => {
    const [go, nexus] = await Promise.all((['go', 'nexus'] as const).map((core) => runOn(core, {entity: 'coreweave-team', settings: {x_disable_stats: true}})))
    for (const o of [go, nexus]) {
      expect(count(o.operations, 'OrganizationCoreWeaveOrganizationID')).toBe(0)
      expect(o.metadataPaths).toEqual([])
      expect(o.operations).toContain('UpsertBucket')
    }
  }, 180_000)
})
