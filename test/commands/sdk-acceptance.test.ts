/**
 * The real wandb 0.31 SDK (.venv) as the judge of `nexus login` and `nexus offline/online`:
 * Python processes must pick up what nexus wrote, and for the same starting files nexus must
 * leave byte for byte what the real `wandb login` / `wandb offline` … leave.
 */
import {describe, expect, test} from 'bun:test'
import {existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {startBackend} from '../backend/index.ts'
import {TempHome} from '../core/credentials/helpers.ts'
import {requirePython, type PyResult} from '../helpers/python.ts'
import {nexus, python, wandbCli} from './helpers.ts'

const INIT_AND_LOG = `
import json, wandb
logged_in = wandb.login()
run = wandb.init(project="nexus-login")
run.log({"x": 1})
mode, run_id = run.settings.mode, run.id
run.finish()
print("RESULT " + json.dumps({"login": logged_in, "mode": mode, "id": run_id}))
`

function result(r: PyResult): {login: boolean; mode: string; id: string} {
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '))
  if (r.code !== 0 || !line) throw new Error(`python exited ${r.code}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`)
  return JSON.parse(line.slice('RESULT '.length))
}

describe('the real SDK after nexus', () => {
  test('after `nexus login --host <backend> KEY`, wandb.login() and wandb.init() run online with no key in the environment', async () => {
    requirePython()
    await using backend = await startBackend({quiet: true})
    using h = new TempHome()
    const key = 'local-' + 'q'.repeat(48)
    expect((await nexus(h, ['login', '--host', backend.url, key])).code).toBe(0)
    const r = result(await python(h, INIT_AND_LOG))
    expect(r).toMatchObject({login: true, mode: 'online'})
    const runs = await backend.inspectRuns()
    expect(runs.map((x) => [x.id, x.project, x.state])).toEqual([[r.id, 'nexus-login', 'finished']])
  }, 180_000)

  test('after `nexus offline` wandb.init() in that directory runs offline; after `nexus online`, online again', async () => {
    requirePython()
    await using backend = await startBackend({quiet: true})
    using h = new TempHome()
    expect((await nexus(h, ['login', '--host', backend.url, backend.apiKey])).code).toBe(0)
    expect((await nexus(h, ['offline'])).code).toBe(0)
    const offline = result(await python(h, INIT_AND_LOG))
    expect(offline.mode).toBe('offline')
    expect(readdirSync(join(h.work, 'wandb')).some((d) => d.startsWith('offline-run-') && d.endsWith(offline.id))).toBe(true)
    expect(await backend.inspectRuns()).toEqual([])
    expect((await nexus(h, ['online'])).code).toBe(0)
    const online = result(await python(h, INIT_AND_LOG))
    expect(online.mode).toBe('online')
    expect((await backend.inspectRuns()).map((x) => x.id)).toEqual([online.id])
  }, 180_000)
})

/** The files a login or mode command may touch, as text (null = absent). */
interface Files {
  netrc: string | null
  global: string | null
  workspace: string | null
}

function writeFiles(h: TempHome, f: Files): void {
  const put = (path: string, text: string | null) => {
    if (text === null) return
    mkdirSync(dirname(path), {recursive: true})
    writeFileSync(path, text)
  }
  put(join(h.home, '.netrc'), f.netrc)
  put(join(h.configDir, 'settings'), f.global)
  put(join(h.work, 'wandb', 'settings'), f.workspace)
}

function readFiles(h: TempHome): Files {
  const get = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : null)
  return {netrc: get(join(h.home, '.netrc')), global: get(join(h.configDir, 'settings')), workspace: get(join(h.work, 'wandb', 'settings'))}
}

/** Runs `args` with the real wandb CLI and with nexus on identical copies of `start`; returns both results. */
async function both(start: Files, steps: string[][]): Promise<{sdk: Files[]; ours: Files[]}> {
  using sdkHome = new TempHome()
  using ourHome = new TempHome()
  writeFiles(sdkHome, start)
  writeFiles(ourHome, start)
  const sdk: Files[] = []
  const ours: Files[] = []
  for (const args of steps) {
    const s = await wandbCli(sdkHome, args)
    if (s.code !== 0) throw new Error(`wandb ${args.join(' ')} exited ${s.code}: ${s.stderr.slice(-2000)}`)
    const n = await nexus(ourHome, args)
    if (n.code !== 0) throw new Error(`nexus ${args.join(' ')} exited ${n.code}: ${n.text}`)
    sdk.push(readFiles(sdkHome))
    ours.push(readFiles(ourHome))
  }
  return {sdk, ours}
}

describe('byte-compare with the real wandb CLI', () => {
  test('login leaves the same netrc and settings files as `wandb login`', async () => {
    requirePython()
    await using backend = await startBackend({quiet: true})
    const machine = new URL(backend.url).host
    const long = 'local-' + 'L'.repeat(72)
    const cases: Array<{start: Files; args: string[]}> = [
      {start: {netrc: null, global: null, workspace: null}, args: ['login', '--host', backend.url, backend.apiKey]},
      {
        start: {
          netrc: `machine example.com\n  login foo\n  password bar\n\nmachine ${machine}\n  login user\n  password ${'o'.repeat(40)}\n\nmachine other.org login x password "y z"\n`,
          global: '[default]\nentity = team\nanonymous = true\n\n',
          workspace: '[default]\nproject = p\nbase_url = http://stale:1\n\n',
        },
        args: ['login', '--host', `${backend.url}/`, long],
      },
      {start: {netrc: `default login anonymous password ${'d'.repeat(40)}\n`, global: null, workspace: null}, args: ['login', '--relogin', '--host', backend.url, backend.apiKey]},
      {
        start: {netrc: `machine ${machine} login user password ${backend.apiKey}\n`, global: `[default]\nbase_url = ${backend.url}\n\n`, workspace: null},
        args: ['login', '--cloud', '--no-verify', long],
      },
    ]
    for (const c of cases) {
      const {sdk, ours} = await both(c.start, [c.args])
      expect({args: c.args, files: ours[0]}).toEqual({args: c.args, files: sdk[0]})
    }
  }, 180_000)

  test('offline, online, disabled and enabled leave the same workspace file as the wandb commands', async () => {
    requirePython()
    const start: Files = {netrc: null, global: '[default]\nmode = offline\n\n', workspace: '[default]\nentity = e\nproject = p\n\n'}
    const steps = [['offline'], ['online'], ['online'], ['disabled'], ['enabled'], ['offline'], ['enabled']]
    const {sdk, ours} = await both(start, steps)
    expect(ours).toEqual(sdk)
    expect(sdk[0].workspace).toBe('[default]\nentity = e\nproject = p\nmode = offline\n\n')
  }, 180_000)
})
