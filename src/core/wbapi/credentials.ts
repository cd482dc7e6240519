import {basicAuthorization, type Transport} from '../api/index.ts'
import type {Logger} from '../observability/index.ts'
import type {RunSettings} from '../settings/index.ts'
import {OidcCredentials} from './oidc-credentials.ts'

/**
 * How a session proves who it is to its W&B server. `authorization` is called for every attempt
 * of a request to the base URL; `accessToken` exists only for federated identity.
 */
export interface Credentials {
  readonly kind: 'api-key' | 'identity-token' | 'none'
  authorization(): Promise<string | undefined>
  accessToken?(signal?: AbortSignal): Promise<string>
}

/**
 * The credentials the settings call for, as Go core chooses them: `identity_token_file` first,
 * then `api_key`, else none. Throws IdentityTokenError when the identity token file is unreadable.
 */
export function credentialsFor(settings: RunSettings, o: {headers: Record<string, string>; logger: Logger; transport?: Transport; fetch?: typeof fetch}): Credentials {
  const identityTokenFile = settings.proto.identity_token_file?.value ?? ''
  if (identityTokenFile !== '') {
    const oidc = new OidcCredentials({
      baseUrl: settings.baseUrl,
      identityTokenFile,
      credentialsFile: settings.proto.credentials_file?.value ?? '',
      headers: o.headers,
      logger: o.logger,
      transport: o.transport,
      fetch: o.fetch,
    })
    return {
      kind: 'identity-token',
      authorization: async () => `Bearer ${await oidc.accessToken()}`,
      accessToken: (signal) => oidc.accessToken(signal),
    }
  }
  const key = settings.apiKey
  if (key !== '') {
    const header = basicAuthorization(key)
    return {kind: 'api-key', authorization: async () => header}
  }
  return {kind: 'none', authorization: async () => undefined}
}
