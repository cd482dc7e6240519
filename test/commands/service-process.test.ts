/**
 * The compiled binary's process contract as the SDK relies on it (the flags of
 * service_process.py): the port file, the unix socket and 127.0.0.1 listener, parent death,
 * the detached idle timeout, signals, --log-level and bad flags. Where Go wandb-core is
 * cheap to run the same way, its port file is the reference.
 */
import {afterAll, describe, expect, test} from 'bun:test'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs'
import {connect} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {hostBinary} from '../helpers/binary.ts'
import {goCorePath} from '../helpers/python.ts'

const root = mkdtempSync(join(tmpdir(), 'service-process-'))
afterAll(() => rmSync(root, {recursive: true, force: true}))
let seq = 0

function start(args: string[], binary = hostBinary()) {
  const dir = join(root, String(seq++))
  const portFile = join(dir, 'port.txt')
  Bun.spawnSync(['mkdir', '-p', dir])
  const env = {...process.env, HOME: dir, WANDB_CACHE_DIR: join(dir, 'cache')} as Record<string, string>
  const proc = Bun.spawn([binary, '--port-filename', portFile, ...args], {cwd: dir, env, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe'})
  return {proc, dir, portFile}
}

/** Polls for a complete port file (it ends with EOF), or the process ending first. */
async function portFileOf(s: ReturnType<typeof start>, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (existsSync(s.portFile)) {
      const text = readFileSync(s.portFile, 'utf8')
      if (text.endsWith('EOF')) return text
    }
    if (s.proc.exitCode !== null) throw new Error(`service exited ${s.proc.exitCode} before its port file: ${await new Response(s.proc.stderr).text()}`)
    await Bun.sleep(10)
  }
  throw new Error('no port file')
}

/** Resolves with the exit code, or 'running' if the process outlives `ms`. */
async function exitWithin(proc: Bun.Subprocess, ms: number): Promise<number | 'running'> {
  let timer: Timer | undefined
  const timeout = new Promise<'running'>((resolve) => (timer = setTimeout(() => resolve('running'), ms)))
  const result = await Promise.race([proc.exited, timeout])
  clearTimeout(timer)
  return result
}

const connectable = (opts: {path: string} | {port: number; host: string}) =>
  new Promise<boolean>((resolve) => {
    const s = connect(opts as never, () => {
      s.end()
      resolve(true)
    })
    s.on('error', () => resolve(false))
  })

describe('nexus service process contract', () => {
  test('port file: the same shape as Go wandb-core writes (unix=…, EOF), and the socket accepts connections', async () => {
    const ours = start(['--pid', String(process.pid)])
    const go = start(['--pid', String(process.pid)], goCorePath())
    try {
      const [a, b] = [await portFileOf(ours), await portFileOf(go)]
      const shape = (t: string) => t.split('\n').map((l) => l.replace(/=.*/, '='))
      expect(shape(a)).toEqual(shape(b))
      const path = /^unix=(.+)$/m.exec(a)![1]
      expect(statSync(path).isSocket()).toBe(true)
      expect(await connectable({path})).toBe(true)
    } finally {
      ours.proc.kill('SIGTERM')
      go.proc.kill('SIGTERM')
      await Promise.all([ours.proc.exited, go.proc.exited])
    }
  })

  test('--listen-on-localhost adds sock=PORT on 127.0.0.1 only', async () => {
    const s = start(['--pid', String(process.pid), '--listen-on-localhost'])
    try {
      const port = Number(/^sock=(\d+)$/m.exec(await portFileOf(s))![1])
      expect(port).toBeGreaterThan(0)
      expect(await connectable({host: '127.0.0.1', port})).toBe(true)
    } finally {
      s.proc.kill('SIGTERM')
      await s.proc.exited
    }
  })

  test('like Go, the service exits when its parent (the --pid process) dies, and removes its socket', async () => {
    const dir = join(root, String(seq++))
    Bun.spawnSync(['mkdir', '-p', dir])
    const portFile = join(dir, 'port.txt')
    // The service is the shell's child; --pid names the shell, as the SDK names itself.
    const parent = Bun.spawn(['sh', '-c', `'${hostBinary()}' --port-filename '${portFile}' --pid $$ & wait`], {
      cwd: dir,
      env: {...process.env, HOME: dir, WANDB_CACHE_DIR: join(dir, 'cache')} as Record<string, string>,
      stdin: 'ignore',
      stdout: 'pipe',
      stderr: 'pipe',
    })
    const s = {proc: parent, dir, portFile}
    const path = /^unix=(.+)$/m.exec(await portFileOf(s))![1]
    const servicePid = Number(
      Bun.spawnSync(['pgrep', '-P', String(parent.pid)])
        .stdout.toString()
        .trim(),
    )
    expect(servicePid).toBeGreaterThan(0)
    expect(await exitWithin(parent, 300)).toBe('running')
    parent.kill('SIGKILL')
    await parent.exited
    const deadline = Date.now() + 15_000
    const alive = () => existsSync(`/proc/${servicePid}`) && !readFileSync(`/proc/${servicePid}/stat`, 'utf8').includes(') Z ')
    while (alive() && Date.now() < deadline) await Bun.sleep(20)
    const survived = alive()
    if (survived) process.kill(servicePid, 'SIGKILL')
    expect(survived).toBe(false)
    expect(existsSync(path)).toBe(false)
  })

  test('--detached ignores --pid and shuts down after --idle-timeout without clients', async () => {
    const s = start(['--pid', '999999999', '--detached', '--idle-timeout', '500ms'])
    await portFileOf(s)
    expect(await exitWithin(s.proc, 15_000)).toBe(0)
  })

  test('SIGTERM stops it with a non-zero code', async () => {
    const s = start(['--pid', String(process.pid)])
    await portFileOf(s)
    s.proc.kill('SIGTERM')
    const code = await exitWithin(s.proc, 15_000)
    expect(code).not.toBe('running')
    expect(code).not.toBe(0)
  })

  test('the core-debug log under WANDB_CACHE_DIR/wandb/logs honours --log-level (0 = info, 4 = warnings only)', async () => {
    const logLines = async (level: string) => {
      const s = start(['--pid', String(process.pid), '--log-level', level])
      await portFileOf(s)
      s.proc.kill('SIGTERM')
      await s.proc.exited
      const logs = join(s.dir, 'cache', 'wandb', 'logs')
      const file = readdirSync(logs).find((f) => /^core-debug-\d{8}_\d{6}\.log$/.test(f))!
      const text = readFileSync(join(logs, file), 'utf8').trim()
      return text === '' ? [] : text.split('\n').map((l) => JSON.parse(l) as {level: string; msg: string})
    }
    const info = await logLines('0')
    expect(info[0]).toMatchObject({level: 'INFO', msg: 'main: starting server'})
    expect((await logLines('4')).filter((l) => l.level === 'INFO' || l.level === 'DEBUG')).toEqual([])
  })

  test('a bad --idle-timeout is a usage error (exit 2) naming the flag', async () => {
    const s = start(['--detached', '--idle-timeout', 'soon'])
    expect(await s.proc.exited).toBe(2)
    expect(await new Response(s.proc.stderr).text()).toContain('--idle-timeout')
  })
})
