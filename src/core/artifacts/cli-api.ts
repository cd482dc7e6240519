/**
 * The server connection of the artifact commands when no run exists (`nexus artifact get`, and
 * the lookups of `put` before its run starts): the shared HTTP stack, GraphQL and a file-transfer
 * manager, with the retry overrides the SDK reads from the environment
 * (WANDB__GRAPHQL_RETRY_WAIT_MIN_SECONDS or WANDB_X_GRAPHQL_RETRY_WAIT_MIN_SECONDS, …).
 */
import {FILE_TRANSFER_POLICY, GRAPHQL_POLICY, GraphQLClient, HttpClient, basicAuthorization, withOverrides, type RetryPolicy} from '../api/index.ts'
import {FileTransferManager} from '../filetransfer/index.ts'
import {nullLogger, type Logger} from '../observability/index.ts'
import {DEFAULT_ENTITY, type DefaultEntityData} from './gql-download.ts'

type Env = Readonly<Record<string, string | undefined>>

/** Retry overrides of one client, in the units of the SDK's settings. */
export interface RetryOverrides {
  maxRetries?: number
  waitMinSeconds?: number
  waitMaxSeconds?: number
  timeoutSeconds?: number
}

/** The SDK setting `x_<name>` from WANDB__<NAME> or WANDB_X_<NAME>, as a number. */
export function envSetting(env: Env, name: string): number | undefined {
  const raw = env[`WANDB__${name.toUpperCase()}`] ?? env[`WANDB_X_${name.toUpperCase()}`]
  if (raw === undefined || raw.trim() === '') return undefined
  const n = Number(raw)
  return Number.isFinite(n) ? n : undefined
}

/** x_graphql_* / x_file_transfer_* / x_file_stream_* retry overrides from the environment. */
export function retryOverridesFromEnv(env: Env, client: 'graphql' | 'file_transfer' | 'file_stream'): RetryOverrides {
  return {
    maxRetries: envSetting(env, `${client}_retry_max`),
    waitMinSeconds: envSetting(env, `${client}_retry_wait_min_seconds`),
    waitMaxSeconds: envSetting(env, `${client}_retry_wait_max_seconds`),
    timeoutSeconds: envSetting(env, `${client}_timeout_seconds`),
  }
}

/** An open connection to a W&B server for the artifact commands. */
export interface CliApi {
  http: HttpClient
  graphql: GraphQLClient
  transfers: FileTransferManager
  graphqlPolicy: RetryPolicy
  transferPolicy: RetryPolicy
  /** Aborting it cancels every request and transfer. */
  signal: AbortSignal
  /** Waits for transfers to end and refuses new ones. */
  close(): Promise<void>
}

/** Opens the HTTP stack for `baseUrl` with `apiKey` (never logged). */
export function openCliApi(o: {baseUrl: string; apiKey: string; env?: Env; logger?: Logger; signal?: AbortSignal; fetch?: typeof fetch}): CliApi {
  const env = o.env ?? process.env
  const logger = o.logger ?? nullLogger
  const signal = o.signal ?? new AbortController().signal
  const http = new HttpClient({baseUrl: o.baseUrl, authorization: () => basicAuthorization(o.apiKey), logger, fetch: o.fetch})
  const graphqlPolicy = withOverrides(GRAPHQL_POLICY, retryOverridesFromEnv(env, 'graphql'))
  const transferPolicy = withOverrides(FILE_TRANSFER_POLICY, retryOverridesFromEnv(env, 'file_transfer'))
  const transfers = new FileTransferManager({http, logger, policy: transferPolicy, signal})
  return {http, graphql: new GraphQLClient(http), transfers, graphqlPolicy, transferPolicy, signal, close: () => transfers.close()}
}

/** The viewer's default entity (GetDefaultEntity), or undefined when the server names none. */
export async function defaultEntity(api: CliApi): Promise<string | undefined> {
  const data = await api.graphql.request<DefaultEntityData>({query: DEFAULT_ENTITY, operationName: 'GetDefaultEntity'}, {policy: api.graphqlPolicy, signal: api.signal})
  return data?.viewer?.entity ?? undefined
}
