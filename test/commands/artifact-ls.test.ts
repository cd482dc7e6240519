/**
 * `nexus artifact ls` (the compiled binary) against the real `wandb artifact ls` of wandb 0.31 on
 * the same local backend state: artifacts logged with `nexus artifact put` (several types,
 * versions, a long name), a collection without a committed version, and a project with more types
 * and collections than one page holds. The "wandb: " lines and exit codes must match.
 */
import {afterAll, beforeAll, describe, expect, test} from 'bun:test'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {startBackend, type Backend} from '../backend/index.ts'
import {gqlOk} from '../backend/gql-client.ts'
import {TempHome} from '../core/credentials/helpers.ts'
import {nexus, wandbCli} from './helpers.ts'

let backend: Backend
let home: TempHome
const env = () => ({WANDB_BASE_URL: backend.url, WANDB_API_KEY: backend.apiKey})

/** Logs `files` (name → bytes) as an artifact with `nexus artifact put`. */
async function put(name: string, type: string, files: Record<string, number>): Promise<void> {
  const dir = home.path('src', name.replace(/\W/g, '_'), String(Math.random()).slice(2))
  mkdirSync(dir, {recursive: true})
  for (const [file, size] of Object.entries(files)) writeFileSync(join(dir, file), Buffer.alloc(size, file))
  const r = await nexus(home, ['artifact', 'put', '--name', name, '--type', type, dir], {env: env()})
  if (r.code !== 0) throw new Error(`artifact put ${name} failed (${r.code}): ${r.text}`)
}

const CREATE = `mutation CreateArtifact($input: CreateArtifactInput!) { createArtifact(input: $input) { artifact { id } } }`
const COMMIT = `mutation CommitArtifact($input: CommitArtifactInput!) { commitArtifact(input: $input) { artifact { id } } }`

/** An artifact made straight through GraphQL (no files), committed unless `pending`. */
async function gqlArtifact(project: string, collection: string, type: string, o: {pending?: boolean} = {}): Promise<void> {
  const data = await gqlOk(backend, CREATE, {
    input: {entityName: 'nexus', projectName: project, artifactTypeName: type, artifactCollectionName: collection, digest: `${project}/${collection}/${Math.random()}`, aliases: []},
  })
  if (!o.pending) await gqlOk(backend, COMMIT, {input: {artifactID: data.createArtifact.artifact.id}})
}

interface Listing {
  code: number
  /** The "wandb: " lines, without wandb's deprecation warning about its own API and its debug-log pointer. */
  lines: string[]
  text: string
}

async function ls(cli: 'wandb' | 'nexus', args: string[], extraEnv: Record<string, string> = {}): Promise<Listing> {
  const full = {...env(), ...extraEnv}
  const r = cli === 'wandb' ? await wandbCli(home, ['artifact', 'ls', ...args], {env: full}) : await nexus(home, ['artifact', 'ls', ...args], {env: full})
  const lines = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('wandb: '))
    .filter((l) => !l.includes('Api.artifact_versions(type_name, name) is deprecated') && !l.startsWith('wandb: ERROR Find detailed error logs at:'))
  return {code: r.code, lines, text: `${r.stdout}\n${r.stderr}`}
}

/** Both CLIs on the same arguments. */
async function both(args: string[], extraEnv: Record<string, string> = {}): Promise<[Listing, Listing]> {
  return [await ls('wandb', args, extraEnv), await ls('nexus', args, extraEnv)]
}

beforeAll(async () => {
  backend = await startBackend({quiet: true})
  home = new TempHome()
  await put('proj/ds1', 'dataset', {'a.txt': 6, 'b.bin': 3000})
  await put('proj/ds1', 'dataset', {'a.txt': 6})
  await put('proj/mdl', 'model', {'w.bin': 1_250_000})
  await put('proj/a-very-long-collection-name-beyond-twenty', 'model', {x: 999})
  await gqlArtifact('proj', 'pending-only', 'model', {pending: true})
  // More types and collections than one page (50) of the SDK's queries.
  for (let i = 0; i < 52; i++) await gqlArtifact('bulk', `c${String(i).padStart(2, '0')}`, 't00')
  for (let i = 1; i < 52; i++) await gqlArtifact('bulk', `only-${i}`, `t${String(i).padStart(2, '0')}`)
}, 240_000)

afterAll(async () => {
  await backend?.stop()
  home?.dispose()
})

describe('nexus artifact ls against wandb artifact ls', () => {
  test('ENTITY/PROJECT: the same rows, latest versions, sizes and a collection without versions', async () => {
    const [w, n] = await both(['nexus/proj'])
    expect(w.code).toBe(0)
    expect(n.code).toBe(0)
    expect(n.lines).toEqual(w.lines)
    expect(n.lines.length).toBe(4)
    expect(n.lines.find((l) => l.includes(' ds1:v1'))).toMatch(/^wandb: dataset {8}\S+\s+6\.0B ds1:v1 {14}$/)
    expect(n.lines.find((l) => l.includes('mdl:v0'))).toContain('1.2MB mdl:v0')
    expect(n.lines.find((l) => l.includes('pending-only'))).toMatch(/N\/A\s+0 B pending-only\s+\(no versions\)$/)
  })

  test('PROJECT alone takes the default entity; --type and -t filter by type', async () => {
    const [w1, n1] = await both(['proj'])
    expect(n1.lines).toEqual(w1.lines)
    expect(n1.lines.length).toBe(4)
    const [w2, n2] = await both(['--type', 'model', 'nexus/proj'])
    expect(n2.lines).toEqual(w2.lines)
    expect(n2.lines.every((l) => l.startsWith('wandb: model '))).toBe(true)
    expect(n2.lines.length).toBe(3)
    const [w3, n3] = await both(['-t', 'dataset', 'proj'])
    expect(n3.lines).toEqual(w3.lines)
    expect(n3.lines.length).toBe(1)
  })

  test('more types and collections than one page: every one is listed, in the same order', async () => {
    const [w, n] = await both(['nexus/bulk'])
    expect(w.code).toBe(0)
    expect(n.code).toBe(0)
    expect(n.lines).toEqual(w.lines)
    expect(n.lines.length).toBe(52 + 51)
    const [wt, nt] = await both(['--type', 't00', 'bulk'])
    expect(nt.lines).toEqual(wt.lines)
    expect(nt.lines.length).toBe(52)
  }, 120_000)

  test('--json: one object with schema 1 and the rows the lines show', async () => {
    const r = await nexus(home, ['artifact', 'ls', 'proj', '--json'], {env: env()})
    expect(r.code).toBe(0)
    expect(r.stderr).not.toContain('wandb: ')
    const out = JSON.parse(r.stdout) as {schema: number; entity: string; project: string; artifacts: {type: string; name: string; version: string | null; size: number}[]}
    expect(out.schema).toBe(1)
    expect(out.entity).toBe('nexus')
    expect(out.project).toBe('proj')
    const byName = Object.fromEntries(out.artifacts.map((a) => [a.name, a]))
    expect(byName['ds1:v1']).toMatchObject({type: 'dataset', version: 'v1', size: 6})
    expect(byName['mdl:v0']).toMatchObject({type: 'model', version: 'v0', size: 1_250_000})
    expect(byName['pending-only']).toMatchObject({version: null, size: 0})
  })

  test('a missing type fails as in wandb (exit 1, "Could not find artifact type")', async () => {
    const [w, n] = await both(['--type', 'nope', 'nexus/proj'])
    expect(w.code).toBe(1)
    expect(n.code).toBe(1)
    expect(w.text).toContain("Could not find artifact type 'nope'")
    expect(n.text).toContain("Could not find artifact type 'nope' in nexus/proj.")
  })

  test('a missing project: wandb crashes with a traceback, nexus says which project (exit 1)', async () => {
    const [w, n] = await both(['nexus/no-such-project'])
    expect(w.code).toBe(1)
    expect(w.text).toContain('Traceback')
    expect(n.code).toBe(1)
    expect(n.text).toContain('There is no project nexus/no-such-project on the server.')
    expect(n.text).not.toContain('Traceback')
  })

  test('a malformed path, a missing key and WANDB_SILENT', async () => {
    for (const path of ['a/b/c', 'nexus/', '/proj']) {
      const r = await ls('nexus', [path])
      expect({path, code: r.code}).toEqual({path, code: 2})
      expect(r.text).toContain('expected ENTITY/PROJECT or PROJECT')
    }
    const noKey = await nexus(home, ['artifact', 'ls', 'proj'], {env: {WANDB_BASE_URL: backend.url}})
    expect(noKey.code).toBe(4)
    expect(noKey.text).toContain('No API key configured')
    const [w, n] = await both(['proj'], {WANDB_SILENT: 'true'})
    expect(w.lines).toEqual([])
    expect(n.lines).toEqual([])
    expect(n.code).toBe(0)
  })

  test('the backend answered every field both clients asked for', async () => {
    expect(await backend.inspectUnknown()).toEqual([])
  })
})
