import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {errorMessage} from '../errors.ts'
import {TransportError} from './transport-errors.ts'

type Env = Readonly<Record<string, string | undefined>>

/** Certificates (PEM) from the environment's CA bundle variables, with where each set came from. */
export interface CaBundle {
  /** One PEM block per certificate. */
  certificates: string[]
  /** "SSL_CERT_FILE=/etc/corp-ca.pem (2 certificates)", for logs. */
  sources: string[]
}

/**
 * The variables read, in order. SSL_CERT_FILE (a file) and SSL_CERT_DIR (directories separated by
 * ':') are what Go's crypto/x509 reads on Linux for wandb-core; REQUESTS_CA_BUNDLE (a file or a
 * directory) is what the SDK's Python side (requests) reads, so nexus takes it too.
 */
const VARIABLES = ['SSL_CERT_FILE', 'SSL_CERT_DIR', 'REQUESTS_CA_BUNDLE'] as const

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

/**
 * Reads the CA bundles the environment names; undefined when it names none. Throws
 * TransportError for a path that cannot be read or that holds no PEM certificate.
 */
export function loadCaBundle(env: Env): CaBundle | undefined {
  // every HTTP client builds a transport: read and parse each bundle once per process, again only
  // when a named path changes (a system bundle is hundreds of certificates, ~4 ms to parse)
  const key = cacheKey(env)
  const hit = cache.get(key)
  if (hit) return hit.bundle
  // failures are not kept: a bundle made readable (chmod) keeps its mtime
  const bundle = readBundle(env)
  cache.set(key, {bundle})
  return bundle
}

const cache = new Map<string, {bundle: CaBundle | undefined}>()

/** The variables' values and the modification times of the paths they name. */
function cacheKey(env: Env): string {
  return JSON.stringify(
    VARIABLES.map((v) => {
      const value = env[v]?.trim() ?? ''
      const paths = v === 'SSL_CERT_DIR' ? value.split(':').filter(Boolean) : value ? [value] : []
      return [
        value,
        ...paths.map((p) => {
          try {
            return statSync(p).mtimeMs
          } catch {
            return -1
          }
        }),
      ]
    }),
  )
}

function readBundle(env: Env): CaBundle | undefined {
  const certificates: string[] = []
  const sources: string[] = []
  for (const variable of VARIABLES) {
    const value = env[variable]?.trim()
    if (!value) continue
    const paths = variable === 'SSL_CERT_DIR' ? value.split(':').filter(Boolean) : [value]
    const found: string[] = []
    for (const path of paths) found.push(...readPath(variable, path))
    if (found.length === 0) {
      throw new TransportError(
        `${variable}=${value}: no PEM certificates`,
        `${variable} is set to ${value}, which holds no PEM certificate ("-----BEGIN CERTIFICATE-----"); point it at a CA bundle or unset it.`,
      )
    }
    certificates.push(...found)
    sources.push(`${variable}=${value} (${found.length} certificates)`)
  }
  return sources.length > 0 ? {certificates, sources} : undefined
}

/** The certificates in a file, or in the files of a directory (not recursive). */
function readPath(variable: string, path: string): string[] {
  let isDir: boolean
  try {
    isDir = statSync(path).isDirectory()
  } catch (err) {
    throw unreadable(variable, path, err)
  }
  if (!isDir) return certificatesIn(variable, path)
  const out: string[] = []
  let names: string[]
  try {
    names = readdirSync(path).sort()
  } catch (err) {
    throw unreadable(variable, path, err)
  }
  for (const name of names) {
    const file = join(path, name)
    try {
      if (!statSync(file).isFile()) continue
    } catch {
      continue // a dangling link in a certificate directory is skipped, as Go skips it
    }
    out.push(...certificatesIn(variable, file))
  }
  return out
}

function certificatesIn(variable: string, file: string): string[] {
  try {
    return readFileSync(file, 'latin1').match(PEM) ?? []
  } catch (err) {
    throw unreadable(variable, file, err)
  }
}

function unreadable(variable: string, path: string, err: unknown): TransportError {
  return new TransportError(`${variable}: cannot read ${path}: ${errorMessage(err)}`, `${variable} names ${path}, which cannot be read (${errorMessage(err)}); fix the path or unset ${variable}.`, {
    cause: err,
  })
}
