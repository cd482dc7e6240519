/** Talking to the W&B server: one HTTP stack (ky), its transport (proxies, TLS), retry policies, GraphQL, credentials. */
export {basicAuthorization, checkApiKey} from './credentials.ts'
export {GraphQLClient, GraphQLError} from './graphql-client.ts'
export type {GraphQLOperation, RawGraphQLResponse} from './graphql-client.ts'
export {HttpClient} from './http-client.ts'
export type {HttpClientOptions, SendOptions} from './http-client.ts'
export {NetworkPeeker} from './network-peeker.ts'
export type {PeekedResponse} from './network-peeker.ts'
export {
  FILE_STREAM_POLICY,
  FILE_TRANSFER_POLICY,
  GRAPHQL_POLICY,
  UPSERT_BUCKET_POLICY,
  backoffMs,
  retryMostFailures,
  retryTransferFailures,
  serverWaitMs,
  withOverrides,
} from './retry-policy.ts'
export type {RetryPolicy} from './retry-policy.ts'
export {VIEWER_QUERY} from './viewer-query.ts'
export {NoProxy} from './no-proxy.ts'
export {Transport, redactProxy} from './transport.ts'
export type {ProxyRoute, TransportConfig, TransportEnv, TransportRequest, TransportSettings, TransportTls} from './transport.ts'
export {TlsError, TransportError, tlsFailureCode} from './transport-errors.ts'
