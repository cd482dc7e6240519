import type {GraphQLClient, RetryPolicy} from '../api/index.ts'
import {errorMessage} from '../errors.ts'
import type {Logger} from '../observability/index.ts'
import {EnvironmentRecord, type Settings} from '../proto.ts'

/** Our text of the query wandb-core 0.31 sends for every live online run (same name, variable and fields). */
export const ORGANIZATION_COREWEAVE_ORGANIZATION_ID = `query OrganizationCoreWeaveOrganizationID($entityName: String!) {
  entity(name: $entityName) {
    organization {
      coreWeaveOrganizationId
    }
  }
}`

interface CoreWeaveOrgData {
  entity?: {organization?: {coreWeaveOrganizationId?: string | null} | null} | null
}

/** The SDK's defaults for x_stats_coreweave_metadata_base_url / _endpoint (link-local, reachable only inside CoreWeave). */
export const COREWEAVE_METADATA_BASE_URL = 'http://169.254.169.254'
export const COREWEAVE_METADATA_ENDPOINT = '/api/v2/cloud-init/meta-data'

/** wandb-core's metadata client: 5 s per attempt, 3 retries, waits doubling from 1 s up to 10 s. */
const METADATA_TIMEOUT_MS = 5000
const METADATA_RETRIES = 3
const METADATA_WAIT_MIN_MS = 1000
const METADATA_WAIT_MAX_MS = 10_000

export interface CoreWeaveProbeOptions {
  graphql: GraphQLClient
  logger: Logger
  /** x_stats_coreweave_metadata_base_url and x_stats_coreweave_metadata_endpoint are read from here. */
  settings: Settings
  policy?: RetryPolicy
  /** Replaces the global fetch for the metadata request (tests). */
  fetch?: typeof fetch
  /** Replaces the wait between metadata attempts (tests). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
}

/**
 * Where a run's machine runs on CoreWeave (wandb-core 0.31's CoreWeave metadata resource). First
 * the W&B server is asked whether the run's entity belongs to an organization on CoreWeave
 * (OrganizationCoreWeaveOrganizationID); only when it names a CoreWeave organization is the
 * instance metadata server read (x_stats_coreweave_metadata_base_url + _endpoint, plain GET, no
 * W&B credentials). Of its `key: value` lines only cluster_name, org_id and region are kept: the
 * others include cluster join tokens, which are never parsed, logged or recorded.
 *
 * `probe` never rejects: any failure (query error, no organization, metadata unreachable or not
 * HTTP 200) resolves to undefined, logged at debug level (metadata failures as errors, as in Go).
 */
export class CoreWeaveProbe {
  readonly #o: CoreWeaveProbeOptions

  constructor(o: CoreWeaveProbeOptions) {
    this.#o = o
  }

  /** `{coreweave: {cluster_name, org_id, region}}` for a CoreWeave organization's run, else undefined. */
  async probe(entity: string, signal: AbortSignal): Promise<EnvironmentRecord | undefined> {
    let orgId: string | null | undefined
    try {
      const data = await this.#o.graphql.request<CoreWeaveOrgData>(
        {query: ORGANIZATION_COREWEAVE_ORGANIZATION_ID, operationName: 'OrganizationCoreWeaveOrganizationID', variables: {entityName: entity}},
        {policy: this.#o.policy, signal},
      )
      orgId = data?.entity?.organization?.coreWeaveOrganizationId
    } catch (err) {
      this.#o.logger.debug('cwmetadata: organization query failed', {error: errorMessage(err)})
      return undefined
    }
    if (!orgId) return undefined
    try {
      const info = parseCoreWeaveMetadata(await this.#fetchMetadata(signal))
      this.#o.logger.debug('cwmetadata: parsed metadata', {...info})
      return EnvironmentRecord.create({coreweave: info})
    } catch (err) {
      if (!signal.aborted) this.#o.logger.error('cwmetadata: error collecting data', {error: errorMessage(err)})
      return undefined
    }
  }

  async #fetchMetadata(signal: AbortSignal): Promise<string> {
    const url = metadataUrl(
      this.#o.settings.x_stats_coreweave_metadata_base_url?.value ?? COREWEAVE_METADATA_BASE_URL,
      this.#o.settings.x_stats_coreweave_metadata_endpoint?.value ?? COREWEAVE_METADATA_ENDPOINT,
    )
    const sleep = this.#o.sleep ?? abortableSleep
    for (let attempt = 0; ; attempt++) {
      let failure: Error | undefined
      try {
        const res = await (this.#o.fetch ?? fetch)(url, {signal: AbortSignal.any([signal, AbortSignal.timeout(METADATA_TIMEOUT_MS)])})
        const body = await res.text()
        if (res.status === 200) return body
        failure = new Error(`unexpected status code ${res.status} from ${url}`)
        // As retryablehttp: only 429 and 5xx other than 501 are worth another attempt.
        if (res.status !== 429 && (res.status < 500 || res.status === 501)) throw failure
      } catch (err) {
        if (signal.aborted || err === failure) throw err
        failure = new Error(`request to ${url} failed: ${errorMessage(err)}`, {cause: err})
      }
      if (attempt >= METADATA_RETRIES) throw failure
      await sleep(Math.min(METADATA_WAIT_MIN_MS * 2 ** attempt, METADATA_WAIT_MAX_MS), signal)
    }
  }
}

/** `base` joined with the relative `endpoint` path; throws for a base that is not an http(s) URL. */
export function metadataUrl(base: string, endpoint: string): string {
  const u = new URL(base)
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`x_stats_coreweave_metadata_base_url must be an http(s) URL, not ${u.protocol}`)
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/${endpoint.replace(/^\/+/, '')}`
  return u.href
}

/** cluster_name, org_id and region of CoreWeave's `key: value` metadata lines (other keys are skipped unread). */
export function parseCoreWeaveMetadata(text: string): {cluster_name: string; org_id: string; region: string} {
  const out = {cluster_name: '', org_id: '', region: ''}
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    const colon = line.indexOf(':')
    if (colon < 0) continue
    const key = line.slice(0, colon).trim()
    if (key === 'cluster_name' || key === 'org_id' || key === 'region') out[key] = line.slice(colon + 1).trim()
  }
  return out
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, {once: true})
  })
}
