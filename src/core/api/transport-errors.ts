import {NetworkError, UserFacingError, redactUrl} from '../errors.ts'

/**
 * The proxy or TLS configuration cannot be used: a proxy URL that does not parse or names a scheme
 * fetch cannot speak, an unreadable CA bundle, malformed x_extra_http_headers. Not retried.
 */
export class TransportError extends UserFacingError {
  override name = 'TransportError'
  constructor(message: string, userText: string, options?: {cause?: unknown}) {
    super(`transport: ${message}`, userText, {cause: options?.cause, exitCode: 1})
  }
}

/**
 * The TLS handshake failed because the server's certificate was rejected (self-signed, unknown
 * issuer, expired, wrong host). A NetworkError (the request got no response) that retrying
 * cannot fix: HttpClient does not retry it.
 */
export class TlsError extends NetworkError {
  override name = 'TlsError'
  /** The runtime's code, e.g. DEPTH_ZERO_SELF_SIGNED_CERT. */
  readonly code: string
  constructor(method: string, url: string, code: string, detail: string, options?: {cause?: unknown}) {
    super(
      `http: ${method} ${redactUrl(url)} failed: TLS certificate verification failed (${code}: ${detail}); ` +
        'set SSL_CERT_FILE or REQUESTS_CA_BUNDLE to a CA bundle that signs it, or insecure_disable_ssl (WANDB_INSECURE_DISABLE_SSL=true) to skip verification',
      options,
    )
    this.code = code
  }
}

/** The certificate errors Bun's fetch reports (as `code`); all of them mean "not trusted". */
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
  'CERT_REVOKED',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
])

/** The certificate-error code of a failed fetch, or undefined if it failed otherwise. */
export function tlsFailureCode(err: unknown): string | undefined {
  const code = (err as {code?: unknown})?.code
  return typeof code === 'string' && TLS_CODES.has(code) ? code : undefined
}
