/**
 * The service's front door with a fake stream: port file, framing on a real unix socket, request
 * ids on every answer, routing, cancellation, malformed frames, teardown.
 */
import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {createConnection, type Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {nullLogger} from '../../../src/core/observability/index.ts'
import {ServerRequest, ServerResponse} from '../../../src/core/proto.ts'
import {encodeFrame, FrameDecoder, ServiceServer} from '../../../src/core/server/index.ts'
import {FakeStream, init, noSync, record, sdkClient, unsupportedApi} from '../../helpers/fake-service.ts'

let dir: string
let server: ServiceServer
let streams: Map<string, FakeStream>
let sockets: Socket[] = []

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'svc-'))
  streams = new Map()
  server = await ServiceServer.start({
    portFilename: join(dir, 'port.txt'),
    parentPid: 0,
    detached: false,
    idleTimeoutMs: 0,
    listenOnLocalhost: true,
    logger: nullLogger,
    api: unsupportedApi,
    sync: noSync,
    shutdownGraceMs: 200,
    createStream: (settings, id) => {
      const s = new FakeStream(id, settings)
      streams.set(id, s)
      return s
    },
  })
})

afterEach(async () => {
  for (const s of sockets) s.destroy()
  sockets = []
  await server.teardown(0)
  rmSync(dir, {recursive: true, force: true})
})

/** A client speaking the framed protocol. */
const connect = (path?: string) => sdkClient(path ?? server.addresses.unixPath!, sockets)

describe('service server', () => {
  test('writes the port file atomically with unix=, sock= and a final EOF without newline', () => {
    const text = readFileSync(join(dir, 'port.txt'), 'utf8')
    expect(text).toBe(`unix=${server.addresses.unixPath}\nsock=${server.addresses.tcpPort}\nEOF`)
  })

  test('inform_init creates a stream and answers with the request id and no payload', async () => {
    const c = await connect()
    c.send(init('run1', 'req-a'))
    const r = await c.next()
    expect(r.request_id).toBe('req-a')
    expect(r.server_response_type.oneofKind).toBeUndefined()
    expect(streams.get('run1')?.settings.run_id?.value).toBe('run1')
  })

  test('a second inform_init for a live run is refused', async () => {
    const c = await connect()
    c.send(init('run1', 'a'))
    await c.next()
    c.send(init('run1', 'b'))
    const r = await c.next()
    expect(r.request_id).toBe('b')
    expect(r.server_response_type.oneofKind).toBe('error_response')
  })

  test('records reach their stream from any connection, answers go to the sender', async () => {
    const c1 = await connect()
    const c2 = await connect()
    c1.send(init('run1', 'a'))
    await c1.next()
    c2.send(record('run1', 'q1', {record_type: {oneofKind: 'request', request: {request_type: {oneofKind: 'status', status: {}}}}}))
    const r = await c2.next()
    expect(r.request_id).toBe('q1')
    expect(streams.get('run1')!.records).toHaveLength(1)
    expect(c1.inbox).toHaveLength(0)
  })

  test('the TCP listener speaks the same protocol', async () => {
    const sock = createConnection({host: '127.0.0.1', port: server.addresses.tcpPort!})
    sockets.push(sock)
    await new Promise((r) => sock.once('connect', r))
    const decoder = new FrameDecoder()
    const got = new Promise<ServerResponse>((r) => sock.on('data', (c: Buffer) => r(ServerResponse.fromBinary(decoder.push(c)[0]))))
    sock.write(encodeFrame(ServerRequest.toBinary(ServerRequest.create(init('tcp-run', 'x')))))
    expect((await got).request_id).toBe('x')
  })

  test('a record for an unknown run is answered with an error instead of silence', async () => {
    const c = await connect()
    c.send(record('nope', 'q', {record_type: {oneofKind: 'exit', exit: {exit_code: 0, runtime: 0, not_complete: false}}}))
    const r = await c.next()
    expect(r.request_id).toBe('q')
    expect(r.server_response_type.oneofKind).toBe('error_response')
  })

  test('a malformed frame closes that connection only; the service keeps serving', async () => {
    const bad = await connect()
    bad.raw(Uint8Array.of(0x00, 1, 0, 0, 0, 9))
    await bad.closed
    const good = await connect()
    good.send(init('run2', 'ok'))
    expect((await good.next()).request_id).toBe('ok')
  })

  test('a frame that is not a ServerRequest closes the connection', async () => {
    const bad = await connect()
    bad.raw(encodeFrame(Uint8Array.of(0xff, 0xff, 0xff)))
    await bad.closed
    const good = await connect()
    good.send(init('run3', 'ok'))
    expect((await good.next()).request_id).toBe('ok')
  })

  test('inform_finish closes the stream; inform_attach answers with its settings', async () => {
    const c = await connect()
    c.send(init('run1', 'a'))
    await c.next()
    c.send({request_id: 'att', server_request_type: {oneofKind: 'inform_attach', inform_attach: {_info: {stream_id: 'run1', _tracelog_id: ''}}}})
    const att = await c.next()
    expect(att.server_response_type.oneofKind).toBe('inform_attach_response')
    c.send({server_request_type: {oneofKind: 'inform_finish', inform_finish: {_info: {stream_id: 'run1', _tracelog_id: ''}}}})
    c.send({request_id: 'att2', server_request_type: {oneofKind: 'inform_attach', inform_attach: {_info: {stream_id: 'run1', _tracelog_id: ''}}}})
    const att2 = await c.next()
    expect(att2.server_response_type.oneofKind).toBe('error_response')
    expect(streams.get('run1')!.closed).toBe(true)
  })

  test('teardown finishes every open run with the exit code and resolves exit code 0', async () => {
    const c = await connect()
    c.send(init('r1', 'a'))
    c.send(init('r2', 'b'))
    await c.next()
    await c.next()
    c.send({server_request_type: {oneofKind: 'inform_teardown', inform_teardown: {exit_code: 3}}})
    expect(await server.exitCode).toBe(0)
    expect(streams.get('r1')!.finishedWith).toBe(3)
    expect(streams.get('r2')!.finishedWith).toBe(3)
  })

  test('a signal after the client left writes the runs, finishes them as killed by it (128+n) and exits 128', async () => {
    const c = await connect()
    c.send(init('r1', 'a'))
    await c.next()
    sockets.pop()!.destroy()
    await c.closed
    server.onSignal('SIGTERM')
    expect(await server.exitCode).toBe(128)
    expect(streams.get('r1')!.flushes).toBeGreaterThanOrEqual(1)
    expect(streams.get('r1')!.finishedWith).toBe(143)
  })

  test('a signal while the client is connected only writes; the client may still finish its runs (exit 0)', async () => {
    const c = await connect()
    c.send(init('r1', 'a'))
    await c.next()
    server.onSignal('SIGINT')
    expect(streams.get('r1')!.flushes).toBe(1)
    expect(streams.get('r1')!.finishedWith).toBeUndefined()
    c.send({server_request_type: {oneofKind: 'inform_teardown', inform_teardown: {exit_code: 0}}})
    expect(await server.exitCode).toBe(0)
    expect(streams.get('r1')!.finishedWith).toBe(0)
  })

  test('a connected client that does not finish within the grace period: its runs are finished with 128+n', async () => {
    const c = await connect()
    c.send(init('r1', 'a'))
    await c.next()
    server.onSignal('SIGHUP')
    expect(await server.exitCode).toBe(128)
    expect(streams.get('r1')!.finishedWith).toBe(129)
  })

  test('a run that cannot finish within the grace period is written and left for nexus sync; the exit still comes', async () => {
    const c = await connect()
    c.send(init('hang1', 'a'))
    await c.next()
    sockets.pop()!.destroy()
    await c.closed
    server.onSignal('SIGTERM')
    expect(await server.exitCode).toBe(128)
    expect(streams.get('hang1')!.finishedWith).toBe(143)
    expect(streams.get('hang1')!.flushes).toBeGreaterThanOrEqual(2)
  })

  test('a second signal stops at once, after writing', async () => {
    const c = await connect()
    c.send(init('r1', 'a'))
    await c.next()
    server.onSignal('SIGTERM')
    server.onSignal('SIGTERM')
    expect(await server.exitCode).toBe(128)
    expect(streams.get('r1')!.finishedWith).toBeUndefined()
    expect(streams.get('r1')!.flushes).toBe(2)
  })

  test('the parent gone: its runs are finished with exit code 1 and the service exits 1', async () => {
    const c = await connect()
    c.send(init('r1', 'a'))
    await c.next()
    server.parentGone()
    expect(await server.exitCode).toBe(1)
    expect(streams.get('r1')!.finishedWith).toBe(1)
  })

  test('cancelling an unknown or answered id is harmless; a request with no type gets an error', async () => {
    const c = await connect()
    c.send({server_request_type: {oneofKind: 'cancel', cancel: {request_id: 'never-seen'}}})
    c.send({request_id: 'untyped', server_request_type: {oneofKind: undefined}})
    const r = await c.next()
    expect(r.request_id).toBe('untyped')
    expect(r.server_response_type.oneofKind).toBe('error_response')
  })
})
