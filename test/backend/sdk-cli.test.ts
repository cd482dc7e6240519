/**
 * Acceptance with the real CLI (`python -m wandb …`, GraphQL through the Go core): login
 * verification, `wandb artifact put` + `wandb artifact get` round trip, and a server-side sweep
 * driven by `wandb sweep` + `wandb agent --count 3`.
 */
import {afterAll, beforeAll, describe, expect, test} from 'bun:test'
import {mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {startBackend, type Backend} from './index.ts'
import {expectSuccess, SdkSandbox} from './sdk-sandbox.ts'

function treeOf(root: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const p of readdirSync(root, {recursive: true, encoding: 'utf8'})) {
    const full = join(root, p)
    if (statSync(full).isFile()) out[relative(root, full)] = new Bun.CryptoHasher('md5').update(readFileSync(full)).digest('hex')
  }
  return out
}

describe('wandb login', () => {
  const KEY = 'local-' + 'k'.repeat(40)
  let backend: Backend
  beforeAll(async () => {
    backend = await startBackend({quiet: true, apiKeys: [KEY]})
  })
  afterAll(() => backend.stop())

  test('`wandb login --host URL KEY` verifies the key, writes netrc and the base_url setting', async () => {
    const sandbox = new SdkSandbox(null)
    try {
      const r = await sandbox.cli(['login', '--host', backend.url, KEY])
      expectSuccess('wandb login', r)
      expect(r.stderr + r.stdout).toContain('Currently logged in as: nexus')
      const netrc = readFileSync(join(sandbox.dir, '.netrc'), 'utf8')
      expect(netrc).toContain(`machine 127.0.0.1:${backend.port}`)
      expect(netrc).toContain(`password ${KEY}`)
      expect(readFileSync(join(sandbox.dir, 'config', 'settings'), 'utf8')).toContain(`base_url = ${backend.url}`)
      expect((await backend.inspectRequests()).some((q) => q.operation === 'Viewer' && q.status === 200)).toBe(true)
    } finally {
      sandbox.dispose()
    }
  }, 120_000)

  test('`wandb login` with a key the backend does not know fails (401)', async () => {
    const sandbox = new SdkSandbox(null)
    try {
      const r = await sandbox.cli(['login', '--host', backend.url, 'local-' + 'x'.repeat(40)])
      expect(r.code).not.toBe(0)
      expect((await backend.inspectRequests()).some((q) => q.operation === 'Viewer' && q.status === 401)).toBe(true)
    } finally {
      sandbox.dispose()
    }
  }, 120_000)
})

describe('wandb artifact put / get and wandb sweep / agent', () => {
  let backend: Backend
  beforeAll(async () => {
    backend = await startBackend({quiet: true})
  })
  afterAll(() => backend.stop())

  test('`wandb artifact put` then `wandb artifact get` round-trips a directory byte for byte', async () => {
    const putter = new SdkSandbox(backend)
    const getter = new SdkSandbox(backend) // separate cache: the files really come from the backend
    try {
      const src = putter.path('data')
      mkdirSync(join(src, 'nested', 'deeper'), {recursive: true})
      writeFileSync(join(src, 'random.bin'), crypto.getRandomValues(new Uint8Array(300_000)))
      writeFileSync(join(src, 'hello.txt'), 'hello backend\n')
      writeFileSync(join(src, 'empty'), '')
      writeFileSync(join(src, 'nested', 'deeper', 'x.json'), JSON.stringify({a: [1, 2, 3]}))
      expectSuccess('wandb artifact put', await putter.cli(['artifact', 'put', '--name', 'nexus/cli-proj/mydir', '--type', 'dataset', '--alias', 'golden', src]))

      const [art] = await backend.inspectArtifacts()
      expect(art).toMatchObject({entity: 'nexus', project: 'cli-proj', name: 'mydir', version: 'v0', type: 'dataset', state: 'COMMITTED'})
      expect(art.aliases).toEqual(['golden', 'latest'])

      const dest = getter.path('got')
      expectSuccess('wandb artifact get', await getter.cli(['artifact', 'get', '--root', dest, 'nexus/cli-proj/mydir:golden']))
      expect(treeOf(dest)).toEqual(treeOf(src))
      const downloads = (await backend.inspectRequests()).filter((q) => q.method === 'GET' && q.path.startsWith('/_storage/blobs/'))
      expect(downloads.length).toBe(Object.keys(treeOf(src)).length + 1) // every file + the manifest
    } finally {
      putter.dispose()
      getter.dispose()
    }
  }, 180_000)

  test('`wandb sweep config.yaml` + `wandb agent --count 3 ID` runs 3 runs with grid parameters from the controller; `wandb sweep --stop` finishes it', async () => {
    const sandbox = new SdkSandbox(backend)
    try {
      sandbox.copyScenario('sweep_train.py')
      const config = sandbox.copyScenario('sweep.yaml')
      const created = await sandbox.cli(['sweep', '--project', 'sweep-proj', config])
      expectSuccess('wandb sweep', created)
      const id = /Creating sweep with ID: (\w+)/.exec(created.stderr + created.stdout)?.[1]
      expect(id).toBeDefined()

      const agent = await sandbox.cli(['agent', '--count', '3', `nexus/sweep-proj/${id}`], {timeoutMs: 240_000})
      expectSuccess('wandb agent', agent)

      const [sweep] = await backend.inspectSweeps()
      expect(sweep).toMatchObject({entity: 'nexus', project: 'sweep-proj', id, method: 'grid', state: 'RUNNING'})
      // grid order: keys sorted (layers, lr), the last key varies fastest
      expect(sweep.runs.map((r) => r.config)).toEqual([
        {layers: 1, lr: 0.1},
        {layers: 1, lr: 0.01},
        {layers: 2, lr: 0.1},
      ])
      expect(sweep.runs.map((r) => r.state)).toEqual(['finished', 'finished', 'finished'])

      const runs = (await backend.inspectRuns()).filter((r) => r.sweep === id)
      expect(runs.length).toBe(3)
      for (const r of runs) {
        const {lr, layers} = r.config as {lr: number; layers: number}
        expect(r.history.map((h) => h.loss)).toEqual([1, 2, 3, 4, 5].map((s) => (lr * layers) / s))
        expect(r.summary.final).toBe(lr * layers)
      }

      // `wandb sweep --stop` reads the sweep with its runs (SweepWithRuns + sampledHistory), then sets the state
      expectSuccess('wandb sweep --stop', await sandbox.cli(['sweep', '--stop', `nexus/sweep-proj/${id}`]))
      expect((await backend.inspectSweeps())[0].state).toBe('FINISHED')
      expect(await backend.inspectUnknown()).toEqual([])
    } finally {
      sandbox.dispose()
    }
  }, 300_000)
})
