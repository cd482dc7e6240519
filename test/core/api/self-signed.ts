/**
 * A self-signed certificate for 127.0.0.1, localhost and wandb.test, made with openssl once per
 * test process (P-256, so it takes milliseconds).
 */
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export interface SelfSigned {
  /** PEM files on disk (for SSL_CERT_FILE / REQUESTS_CA_BUNDLE). */
  certFile: string
  keyFile: string
  cert: string
  key: string
}

let made: SelfSigned | undefined

export function selfSignedCert(): SelfSigned {
  if (made) return made
  const dir = mkdtempSync(join(tmpdir(), 'nexus-tls-'))
  const certFile = join(dir, 'cert.pem')
  const keyFile = join(dir, 'key.pem')
  const r = Bun.spawnSync(
    [
      'openssl',
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=nexus-test',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:wandb.test',
    ],
    {stdout: 'pipe', stderr: 'pipe'},
  )
  if (r.exitCode !== 0) throw new Error(`openssl failed: ${r.stderr.toString()}`)
  made = {certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8')}
  return made
}
