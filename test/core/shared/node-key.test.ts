/**
 * What splits the node service: every input that changes what the service does, and nothing a
 * job varies per process (WANDB_RUN_ID). The per-run names are checked against the sources, so a
 * service that starts reading one of them fails here instead of sharing wrongly.
 */
import {describe, expect, test} from 'bun:test'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {isKeyEnv, nodeKey, PER_RUN_ENV, type KeyInputs} from '../../../src/core/shared/node-key.ts'

const base: KeyInputs = {
  env: {HOME: '/home/u', WANDB_BASE_URL: 'https://api.wandb.ai', WANDB_RUN_ID: 'a1', PATH: '/usr/bin', BENCH_STEPS: '100'},
  cwd: '/work',
  build: '0.31.0+nexus.0.1.0|/bin/nexus|100|1|2',
  umask: 0o022,
  logLevel: 0,
  cgroup: '0::/user.slice/job-1',
}
const withEnv = (env: Record<string, string>) => ({...base, env: {...base.env, ...env}})

describe('node key', () => {
  test('is stable and 16 hex digits', () => {
    expect(nodeKey(base)).toMatch(/^[0-9a-f]{16}$/)
    expect(nodeKey({...base, env: {...base.env}})).toBe(nodeKey(base))
  })

  test.each([
    ['base URL', withEnv({WANDB_BASE_URL: 'https://other'})],
    ['proxy', withEnv({HTTPS_PROXY: 'http://proxy:3128'})],
    ['lower-case proxy', withEnv({https_proxy: 'http://proxy:3128'})],
    ['CA bundle', withEnv({SSL_CERT_FILE: '/etc/ca.pem'})],
    ['requests CA bundle', withEnv({REQUESTS_CA_BUNDLE: '/etc/ca.pem'})],
    ['API key', withEnv({WANDB_API_KEY: 'x'.repeat(40)})],
    ['Slurm job', withEnv({SLURM_JOB_ID: '77'})],
    ['home', withEnv({HOME: '/home/v'})],
    ['grace period', withEnv({NEXUS_SHUTDOWN_GRACE: '30'})],
    ['cwd', {...base, cwd: '/elsewhere'}],
    ['build', {...base, build: base.build.replace('|1|', '|9|')}],
    ['cgroup', {...base, cgroup: '0::/user.slice/job-2'}],
    ['umask', {...base, umask: 0o077}],
    ['log level', {...base, logLevel: -4}],
  ])('differs with the %s', (_what, inputs) => {
    expect(nodeKey(inputs)).not.toBe(nodeKey(base))
  })

  test.each([
    ['run id', withEnv({WANDB_RUN_ID: 'b2'})],
    ['run name', withEnv({WANDB_NAME: 'second'})],
    ['an unrelated variable', withEnv({BENCH_STEPS: '5'})],
    ['the sharing switches', withEnv({NEXUS_SHARED_SERVICE: '1', NEXUS_SHARED_IDLE: '5'})],
  ])('is the same whatever the %s', (_what, inputs) => {
    expect(nodeKey(inputs)).toBe(nodeKey(base))
  })

  test('per-run variables are read nowhere in the service, the sync or the CLI (the sweep agent only sets them for its trials)', () => {
    const root = join(import.meta.dir, '..', '..', '..', 'src')
    const agent = (f: string) => f.startsWith(join('core', 'sweeps', 'agent')) || f === join('commands', 'agent.ts')
    const files = readdirSync(root, {recursive: true})
      .map(String)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('node-key.ts') && !agent(f))
    const readers: string[] = []
    for (const f of files) {
      const text = readFileSync(join(root, f), 'utf8')
      for (const name of PER_RUN_ENV) if (new RegExp(`\\b${name}\\b`).test(text)) readers.push(`${f}: ${name}`)
    }
    expect(readers).toEqual([])
    for (const name of PER_RUN_ENV) expect(isKeyEnv(name)).toBe(false)
  })
})
