/**
 * Artifacts end to end with the real wandb 0.31 SDK and CLI: the same scenario with Go wandb-core
 * and with nexus leaves the same artifacts and runs on two fresh backends; `wandb artifact put/get`
 * with nexus as the core and `nexus artifact put/get` (no Python) round-trip a folder and store what
 * Go stores; an offline run written by nexus syncs (Go `wandb sync`) like one written by Go; a save
 * under injected faults still commits the right files.
 */
import {afterAll, beforeAll, describe, expect, test} from 'bun:test'
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {startBackend, type Backend, type FaultRule, type InspectArtifact} from '../backend/index.ts'
import {hostBinary} from '../helpers/binary.ts'
import {isolatedEnv, offlineRunDirs, runScenario, runWandbCli, type CoreKind, type ScenarioRun} from './harness.ts'
import {normalizeRuns, type NormalizedRun} from './normalize.ts'
import {sdkProblems} from './sdk-output.ts'

/** Retry waits of 1–2 s, so that injected faults cost seconds (as test/backend's FAST_RETRIES). */
const FAST_RETRIES: Record<string, string> = {
  WANDB__GRAPHQL_RETRY_WAIT_MIN_SECONDS: '1',
  WANDB__GRAPHQL_RETRY_WAIT_MAX_SECONDS: '2',
  WANDB__FILE_STREAM_RETRY_WAIT_MIN_SECONDS: '1',
  WANDB__FILE_STREAM_RETRY_WAIT_MAX_SECONDS: '2',
  WANDB__FILE_TRANSFER_RETRY_WAIT_MIN_SECONDS: '1',
  WANDB__FILE_TRANSFER_RETRY_WAIT_MAX_SECONDS: '2',
}

interface FlowOutcome {
  run: ScenarioRun
  artifacts: InspectArtifact[]
  runs: NormalizedRun[]
  files: {downloaded: Record<string, string>; source: Record<string, string>}
  /** Requests the backend answered with an injected fault. */
  faulted: number
}

/** Runs artifact_flow.py with `core` against a fresh backend (with `faults`, if any). */
async function artifactFlow(core: CoreKind, runId: string, faults: FaultRule[] = []): Promise<FlowOutcome> {
  const backend = await startBackend({quiet: true})
  const out = join(mkdtempSync(join(tmpdir(), 'e2e-artifact-out-')), 'out.json')
  try {
    for (const rule of faults) await backend.addFault(rule)
    const run = await runScenario('artifact_flow', {core, backend, runId, args: [out], env: faults.length > 0 ? FAST_RETRIES : undefined})
    expect(run.code, `${core}: ${run.stderr.slice(-3000)}`).toBe(0)
    expect(await backend.inspectUnknown()).toEqual([])
    return {
      run,
      artifacts: await backend.inspectArtifacts(),
      runs: normalizeRuns(await backend.inspectRuns()),
      files: JSON.parse(readFileSync(out, 'utf8')),
      faulted: (await backend.inspectRequests()).filter((r) => r.fault).length,
    }
  } finally {
    await backend.stop()
  }
}

/** path → bytes (base64) of every file under `root`. */
function treeOf(root: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name)
      if (statSync(p).isDirectory()) walk(p)
      else out[relative(root, p)] = readFileSync(p).toString('base64')
    }
  }
  walk(root)
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)))
}

/** A folder with a nested path, an empty file and random bytes. */
function makeTree(root: string): void {
  mkdirSync(join(root, 'nested', 'deeper'), {recursive: true})
  writeFileSync(join(root, 'random.bin'), crypto.getRandomValues(new Uint8Array(200_000)))
  writeFileSync(join(root, 'hello.txt'), 'hello artifacts\n')
  writeFileSync(join(root, 'empty'), '')
  writeFileSync(join(root, 'nested', 'deeper', 'x.json'), JSON.stringify({a: [1, 2, 3]}))
}

/** Runs the compiled nexus binary in `dir` with the isolated environment of `backend`. */
async function nexus(args: string[], dir: string, backend: Backend, env: Record<string, string> = {}): Promise<ScenarioRun> {
  const proc = Bun.spawn([hostBinary(), ...args], {
    cwd: dir,
    env: {PATH: process.env.PATH ?? '', ...isolatedEnv(dir, backend), ...env},
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  return {code, stdout, stderr, dir}
}

const stable = (a: InspectArtifact) => ({entity: a.entity, project: a.project, name: a.name, version: a.version, type: a.type, state: a.state, digest: a.digest, aliases: a.aliases, files: a.files})

describe('log_artifact, use_artifact, link_artifact with the real SDK', () => {
  const runId = `artflow${Math.floor(Math.random() * 1e6)}`
  let go: FlowOutcome
  beforeAll(async () => {
    go = await artifactFlow('go', runId)
  }, 180_000)

  test('nexus leaves the same artifacts and runs as Go wandb-core, and the downloaded files are the logged ones', async () => {
    const nx = await artifactFlow('nexus', runId)
    expect(go.artifacts.map((a) => [a.name, a.version, a.state])).toEqual([
      ['e2e-data', 'v0', 'COMMITTED'],
      ['e2e-data', 'v1', 'COMMITTED'],
      ['e2e-model', 'v0', 'COMMITTED'],
    ])
    expect(nx.artifacts).toEqual(go.artifacts)
    expect(nx.runs).toEqual(go.runs)
    expect(nx.files.downloaded).toEqual(nx.files.source)
    expect(nx.files).toEqual(go.files)
    const extra = sdkProblems(nx.run.stderr).filter((p) => !sdkProblems(go.run.stderr).includes(p))
    expect(extra).toEqual([])
    expect(nx.run.stderr).toContain('WARNING Artifact "e2e-data" already exists with the same content. No new version will be created.')
  }, 180_000)

  test('under 500s, a 429 with Retry-After and dropped storage connections the saves still commit the same files', async () => {
    const faults: FaultRule[] = [
      {match: {operation: 'CreateArtifact'}, action: 'status', status: 429, retryAfter: 1, times: 1},
      {match: {operation: 'CreateArtifactFiles'}, action: 'status', status: 500, times: 2},
      {match: {operation: 'CreateArtifactManifest'}, action: 'status', status: 502, times: 1},
      {match: {path: '/_storage/blobs/', method: 'PUT'}, action: 'reset', times: 3},
      {match: {path: '/_storage/manifests/', method: 'PUT'}, action: 'status', status: 503, times: 1},
      {match: {operation: 'CommitArtifact'}, action: 'status', status: 500, times: 1},
    ]
    const nx = await artifactFlow('nexus', runId, faults)
    expect(nx.faulted).toBe(9)
    expect(nx.artifacts.map(stable)).toEqual(go.artifacts.map(stable))
    expect(nx.files.downloaded).toEqual(nx.files.source)
  }, 180_000)
})

describe('artifact put / get', () => {
  let backendGo: Backend
  let backendNexus: Backend
  let work: string
  beforeAll(async () => {
    backendGo = await startBackend({quiet: true})
    backendNexus = await startBackend({quiet: true})
    work = mkdtempSync(join(tmpdir(), 'e2e-artifact-cli-'))
    makeTree(join(work, 'data'))
    // the reference: `wandb artifact put` with Go core
    const put = await runWandbCli(['artifact', 'put', '--name', 'e2e-entity/cli/mydir', '--alias', 'golden', join(work, 'data')], {core: 'go', backend: backendGo, dir: mkdirIn(work, 'go-put')})
    expect(put.code, put.stderr).toBe(0)
  }, 180_000)
  afterAll(async () => {
    await backendGo.stop()
    await backendNexus.stop()
    rmSync(work, {recursive: true, force: true})
  })

  test('`wandb artifact put` / `get` with nexus as the core round-trip a folder and store what Go stores', async () => {
    await backendNexus.reset()
    const put = await runWandbCli(['artifact', 'put', '--name', 'e2e-entity/cli/mydir', '--alias', 'golden', join(work, 'data')], {core: 'nexus', backend: backendNexus, dir: mkdirIn(work, 'nx-put')})
    expect(put.code, put.stderr).toBe(0)
    expect((await backendNexus.inspectArtifacts()).map(stable)).toEqual((await backendGo.inspectArtifacts()).map(stable))
    const dest = join(work, 'nx-got')
    const get = await runWandbCli(['artifact', 'get', '--root', dest, 'e2e-entity/cli/mydir:golden'], {core: 'nexus', backend: backendNexus, dir: mkdirIn(work, 'nx-get')})
    expect(get.code, get.stderr).toBe(0)
    expect(treeOf(dest)).toEqual(treeOf(join(work, 'data')))
  }, 180_000)

  test('`nexus artifact put` then `nexus artifact get` (no Python) round-trip a folder and store what `wandb artifact put` with Go stores', async () => {
    await backendNexus.reset()
    const put = await nexus(['artifact', 'put', join(work, 'data'), '-n', 'e2e-entity/cli/mydir', '-a', 'golden'], mkdirIn(work, 'bin-put'), backendNexus)
    expect(put.code, put.stderr).toBe(0)
    expect(put.stdout).toContain('artifact = run.use_artifact("e2e-entity/cli/mydir:v0")')
    expect((await backendNexus.inspectArtifacts()).map(stable)).toEqual((await backendGo.inspectArtifacts()).map(stable))
    const [run] = await backendNexus.inspectRuns()
    expect(run).toMatchObject({jobType: 'cli_put', state: 'finished', config: {path: join(work, 'data')}})
    const dest = join(work, 'bin-got')
    const get = await nexus(['artifact', 'get', 'e2e-entity/cli/mydir:golden', '--root', dest], mkdirIn(work, 'bin-get'), backendNexus)
    expect(get.code, get.stderr).toBe(0)
    expect(get.stdout.trim()).toBe(dest)
    expect(treeOf(dest)).toEqual(treeOf(join(work, 'data')))
    const missing = await nexus(['artifact', 'get', 'e2e-entity/cli/nothing:v3'], mkdirIn(work, 'bin-missing'), backendNexus)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('There is no artifact e2e-entity/cli/nothing:v3 on the server')
    const badKey = await nexus(['artifact', 'get', 'e2e-entity/cli/mydir'], mkdirIn(work, 'bin-badkey'), backendNexus, {WANDB_API_KEY: 'short'})
    expect(badKey.code).toBe(4)
  }, 180_000)
})

describe('offline runs', () => {
  test('an offline run with artifacts written by nexus is uploaded by `wandb sync` (Go) like one written by Go', async () => {
    const runId = `artoff${Math.floor(Math.random() * 1e6)}`
    const states: Array<{artifacts: InspectArtifact[]; runs: NormalizedRun[]}> = []
    for (const writer of ['go', 'nexus'] as const) {
      const written = await runScenario('artifact_offline', {core: writer, runId, env: {WANDB_MODE: 'offline'}})
      expect(written.code, written.stderr).toBe(0)
      const [dir] = offlineRunDirs(written.dir)
      const backend = await startBackend({quiet: true})
      try {
        const synced = await runWandbCli(['sync', dir], {core: 'go', backend, dir: written.dir})
        expect(synced.code, synced.stderr).toBe(0)
        states.push({artifacts: await backend.inspectArtifacts(), runs: normalizeRuns(await backend.inspectRuns())})
      } finally {
        await backend.stop()
      }
    }
    expect(states[0].artifacts.map((a) => [a.name, a.version, a.state, a.aliases])).toEqual([
      ['offline-data', 'v0', 'COMMITTED', ['latest', 'offline', 'shared']],
      ['offline-file', 'v0', 'COMMITTED', ['latest']],
    ])
    expect(states[1]).toEqual(states[0])
  }, 180_000)

  test('`nexus sync` of an offline run written by nexus saves the same artifacts as `wandb sync` (Go)', async () => {
    const runId = `artsync${Math.floor(Math.random() * 1e6)}`
    const artifacts: InspectArtifact[][] = []
    for (const syncer of ['go', 'nexus'] as const) {
      const written = await runScenario('artifact_offline', {core: 'nexus', runId, env: {WANDB_MODE: 'offline'}})
      expect(written.code, written.stderr).toBe(0)
      const [dir] = offlineRunDirs(written.dir)
      const backend = await startBackend({quiet: true})
      try {
        const synced = syncer === 'go' ? await runWandbCli(['sync', dir], {core: 'go', backend, dir: written.dir}) : await nexus(['sync', dir], written.dir, backend)
        expect(synced.code, synced.stderr).toBe(0)
        artifacts.push(await backend.inspectArtifacts())
      } finally {
        await backend.stop()
      }
    }
    expect(artifacts[0].map((a) => a.state)).toEqual(['COMMITTED', 'COMMITTED'])
    expect(artifacts[1]).toEqual(artifacts[0])
  }, 180_000)
})

function mkdirIn(parent: string, name: string): string {
  const d = join(parent, name)
  mkdirSync(d, {recursive: true})
  return d
}
