import type {HttpClient, RetryPolicy} from '../api/index.ts'
import type {Logger} from '../observability/index.ts'
import type {RunSettings} from '../settings/index.ts'
import type {Credentials} from './credentials.ts'
import type {GraphQLTransport} from './graphql-transport.ts'
import type {ServerFeatures} from './server-features.ts'

/** One wbapi session's connection to the server: what every request, download and scan needs. */
export interface SessionConnection {
  readonly settings: RunSettings
  readonly logger: Logger
  /** Sends the session's credentials, but only to URLs under its base URL. */
  readonly http: HttpClient
  readonly gql: GraphQLTransport
  readonly credentials: Credentials
  /** x_extra_http_headers with lower-case names: sent with every request of the session. */
  readonly extraHeaders: Record<string, string>
  /** FILE_TRANSFER_POLICY with the session's x_file_transfer_* overrides. */
  readonly transferPolicy: RetryPolicy
  readonly features: ServerFeatures
}
