/**
 * The node service in-process with fake runs: a stand-in's session gets its own listener and
 * port file, keeps a private service's lifetime rules, and cannot reach another session's runs;
 * a stand-in of another build is refused; a stand-in that vanishes leaves its session running;
 * a signal finishes every session's runs and ends the node with 128; idle, it exits 0.
 */
import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {createConnection, type Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {nullLogger} from '../../../src/core/observability/index.ts'
import {ControlChannel, type NodeMessage, type StandInMessage} from '../../../src/core/shared/control.ts'
import {NodeService, NodeTakenError} from '../../../src/core/shared/node-service.ts'
import {serverEngine} from '../../../src/core/shared/session-engine.ts'
import type {SessionEngine} from '../../../src/core/shared/session.ts'
import {FakeStream, init, noSync, sdkClient, unsupportedApi} from '../../helpers/fake-service.ts'

const BUILD = 'test-build'
const KEY = '0123456789abcdef'
let dir: string
let node: NodeService
let streams: Map<string, FakeStream>
let sockets: Socket[]

const engine = serverEngine((_logger, print) => ({
  api: unsupportedApi,
  sync: noSync,
  createStream: (settings, id) => {
    const s = new FakeStream(id, settings)
    streams.set(id, s)
    print(`footer of ${id}`)
    return s
  },
}))

async function startNode(idleMs = 60_000, loadEngine: () => Promise<SessionEngine> = async () => engine): Promise<NodeService> {
  return NodeService.start({
    dir,
    key: KEY,
    build: BUILD,
    logger: nullLogger,
    idleMs,
    shutdownGraceMs: 300,
    engine: loadEngine,
  })
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'node-svc-'))
  streams = new Map()
  sockets = []
  node = await startNode()
})

afterEach(() => {
  for (const s of sockets) s.destroy()
  node.onSignal('SIGTERM')
  rmSync(dir, {recursive: true, force: true})
})

/** A stand-in: opens a session and collects what the node says. */
async function standIn(o: {build?: string; parentPid?: number; portName?: string} = {}) {
  const sock = createConnection(node.path)
  sockets.push(sock)
  await new Promise((r) => sock.once('connect', r))
  const got: NodeMessage[] = []
  let wake: (() => void) | undefined
  const channel = ControlChannel.overSocket<NodeMessage, StandInMessage>(sock, (m) => {
    got.push(m)
    wake?.()
  })
  const portFilename = join(dir, o.portName ?? 'port.txt')
  channel.send({op: 'open', build: o.build ?? BUILD, key: KEY, parentPid: o.parentPid ?? process.pid, portFilename, listenOnLocalhost: false})
  const next = async (op: NodeMessage['op']) => {
    for (;;) {
      const i = got.findIndex((m) => m.op === op)
      if (i >= 0) return got.splice(i, 1)[0]
      await new Promise<void>((r) => (wake = r))
    }
  }
  return {channel, next, portFilename, got, sock}
}

const socketOf = (portFile: string) => /unix=(.+)\n/.exec(readFileSync(portFile, 'utf8'))![1]

describe('node service', () => {
  test('a session writes its own port file with its own socket, and serves runs', async () => {
    const a = await standIn({portName: 'a.txt'})
    const b = await standIn({portName: 'b.txt'})
    expect((await a.next('opened')).op).toBe('opened')
    await b.next('opened')
    const pathA = socketOf(a.portFilename)
    const pathB = socketOf(b.portFilename)
    expect(pathA).not.toBe(pathB)
    expect(readFileSync(a.portFilename, 'utf8').endsWith('EOF')).toBe(true)
    const sdk = await sdkClient(pathA, sockets)
    sdk.send(init('run-a', 'r1'))
    expect((await sdk.next()).request_id).toBe('r1')
    expect(streams.has('run-a')).toBe(true)
    expect(await a.next('print')).toEqual({op: 'print', line: 'footer of run-a'})
    expect(b.got.some((m) => m.op === 'print')).toBe(false)
    expect(node.sessions).toBe(2)
  })

  test("teardown ends that session only: its stand-in gets exit 0, the other's runs go on", async () => {
    const a = await standIn({portName: 'a.txt'})
    const b = await standIn({portName: 'b.txt'})
    await a.next('opened')
    await b.next('opened')
    const sdkA = await sdkClient(socketOf(a.portFilename), sockets)
    const sdkB = await sdkClient(socketOf(b.portFilename), sockets)
    sdkA.send(init('run-a', '1'))
    sdkB.send(init('run-b', '2'))
    await sdkA.next()
    await sdkB.next()
    sdkA.send({server_request_type: {oneofKind: 'inform_teardown', inform_teardown: {exit_code: 0}}})
    expect(await a.next('exit')).toEqual({op: 'exit', code: 0})
    expect(streams.get('run-a')!.finishedWith).toBe(0)
    expect(streams.get('run-b')!.finishedWith).toBeUndefined()
    expect(node.sessions).toBe(1)
  })

  test('a forwarded SIGTERM finishes that session as killed (143) and the stand-in exits 128', async () => {
    const a = await standIn()
    await a.next('opened')
    const sdk = await sdkClient(socketOf(a.portFilename), sockets)
    sdk.send(init('run-a', '1'))
    await sdk.next()
    a.channel.send({op: 'signal', signal: 'SIGTERM'})
    expect(await a.next('exit')).toEqual({op: 'exit', code: 128})
    expect(streams.get('run-a')!.finishedWith).toBe(143)
    expect(streams.get('run-a')!.flushes).toBeGreaterThan(0)
  })

  test("the SDK process's death finishes its runs with exit code 1, even after the stand-in vanished", async () => {
    const child = Bun.spawn(['sleep', '30'])
    const a = await standIn({parentPid: child.pid})
    await a.next('opened')
    const sdk = await sdkClient(socketOf(a.portFilename), sockets)
    sdk.send(init('run-a', '1'))
    await sdk.next()
    a.sock.destroy()
    await Bun.sleep(300) // an observation window: nothing may finish the run while its SDK process lives
    expect(streams.get('run-a')!.finishedWith).toBeUndefined()
    expect(node.sessions).toBe(1)
    child.kill('SIGKILL')
    await child.exited
    for (let i = 0; i < 100 && node.sessions > 0; i++) await Bun.sleep(20)
    expect(streams.get('run-a')!.finishedWith).toBe(1)
    expect(node.sessions).toBe(0)
  })

  test('a stand-in of another build is refused, and no port file is written', async () => {
    const a = await standIn({build: 'other-build'})
    const refused = await a.next('refused')
    expect(refused.op).toBe('refused')
    expect(existsSync(a.portFilename)).toBe(false)
  })

  test('malformed control input closes that control connection only', async () => {
    const bad = createConnection(node.path)
    sockets.push(bad)
    await new Promise((r) => bad.once('connect', r))
    const closed = new Promise((r) => bad.once('close', r))
    bad.write(new Uint8Array([0x57, 3, 0, 0, 0, 0x7b, 0x7d, 0x7d]))
    await closed
    const a = await standIn()
    expect((await a.next('opened')).op).toBe('opened')
  })

  test('a second node of the same key refuses to start while the first answers', async () => {
    await expect(startNode()).rejects.toBeInstanceOf(NodeTakenError)
  })

  test('a SIGTERM to the node ends every session (128 each) and then the node with 128', async () => {
    const a = await standIn({portName: 'a.txt'})
    const b = await standIn({portName: 'b.txt'})
    await a.next('opened')
    await b.next('opened')
    node.onSignal('SIGTERM')
    expect(await a.next('exit')).toEqual({op: 'exit', code: 128})
    expect(await b.next('exit')).toEqual({op: 'exit', code: 128})
    expect(await node.exitCode).toBe(128)
  })

  test('idle without sessions, the node exits 0 and frees its socket path', async () => {
    node.onSignal('SIGTERM')
    await node.exitCode
    node = await startNode(50)
    expect(await node.exitCode).toBe(0)
    expect(existsSync(node.path)).toBe(false)
  })

  test('the port file goes out before the engine has loaded: an SDK that connects and sends meanwhile is answered once it has', async () => {
    node.onSignal('SIGTERM')
    await node.exitCode
    let release!: () => void
    const loaded = new Promise<void>((r) => (release = r))
    let loads = 0
    node = await startNode(60_000, async () => {
      loads++
      await loaded
      return engine
    })
    const a = await standIn({portName: 'a.txt'})
    for (let i = 0; i < 200 && !existsSync(a.portFilename); i++) await Bun.sleep(5)
    expect(readFileSync(a.portFilename, 'utf8').endsWith('EOF')).toBe(true)
    expect(a.got.some((m) => m.op === 'opened')).toBe(false)
    const sdk = await sdkClient(socketOf(a.portFilename), sockets)
    sdk.send(init('run-a', 'early'))
    const b = await standIn({portName: 'b.txt'})
    for (let i = 0; i < 200 && !existsSync(b.portFilename); i++) await Bun.sleep(5)
    expect(streams.has('run-a')).toBe(false)
    release()
    expect((await a.next('opened')).op).toBe('opened')
    expect((await sdk.next()).request_id).toBe('early')
    expect(streams.has('run-a')).toBe(true)
    expect((await b.next('opened')).op).toBe('opened')
    expect(loads).toBe(1)
  })

  test('an engine that cannot load refuses the session and takes its port file and socket back; the node goes on', async () => {
    node.onSignal('SIGTERM')
    await node.exitCode
    node = await startNode(60_000, async () => {
      throw new Error('broken build')
    })
    const socketDirs = () => readdirSync(tmpdir()).filter((n) => n.startsWith(`wandb-${process.pid}-${process.pid}-`))
    const heldDirsBefore = socketDirs()
    const a = await standIn()
    const refused = await a.next('refused')
    expect(refused).toMatchObject({op: 'refused', reason: expect.stringContaining('broken build')})
    expect(existsSync(a.portFilename)).toBe(false)
    expect(socketDirs().filter((d) => !heldDirsBefore.includes(d))).toEqual([])
    const b = await standIn({portName: 'b.txt'})
    expect((await b.next('refused')).op).toBe('refused')
  })
})
