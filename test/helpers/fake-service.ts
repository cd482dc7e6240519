/**
 * A fake run pipeline and an SDK-side client of the framed protocol, for the server and node
 * service tests (no real stream, no network).
 */
import {createConnection, type Socket} from 'node:net'
import {Record, ServerRequest, ServerResponse, Settings} from '../../src/core/proto.ts'
import {encodeFrame, FrameDecoder, resultResponse, type ApiSessions, type Responder, type RunStream, type SyncSessions} from '../../src/core/server/index.ts'

export class FakeStream implements RunStream {
  readonly records: Record[] = []
  closed = false
  finishedWith: number | undefined
  constructor(
    readonly id: string,
    readonly settings: Settings,
  ) {}
  async handle(record: Record, responder?: Responder) {
    this.records.push(record)
    if (record.record_type.oneofKind === 'request' && record.record_type.request.request_type.oneofKind === 'keepalive') {
      // never answered: lets tests observe cancellation
      return
    }
    responder?.respond(resultResponse())
  }
  async close() {
    this.closed = true
  }
  async finishAndClose(code: number) {
    this.finishedWith = code
    // a run whose uploads never end (an unreachable server) never finishes
    if (this.id.startsWith('hang')) await new Promise(() => {})
    this.closed = true
  }
  flushes = 0
  flushLog() {
    this.flushes++
  }
}

export const unsupportedApi: ApiSessions = {
  init: () => ({api_id: 'api-1', error_message: ''}),
  handle: async () => ({response: {oneofKind: 'api_error_response', api_error_response: {message: 'no', http_status: 0}}}),
  cleanup: () => {},
  authenticate: async () => ({default_entity: 'e', error_status: '', _info: undefined}),
}
export const noSync: SyncSessions = {
  init: () => ({id: 'sync-0'}),
  sync: async () => ({messages: []}),
  status: () => ({stats: [], new_messages: []}),
}

/** A client speaking the framed protocol. */
export async function sdkClient(path: string, sockets: Socket[]) {
  const sock = createConnection(path)
  sockets.push(sock)
  await new Promise((r) => sock.once('connect', r))
  const decoder = new FrameDecoder()
  const inbox: ServerResponse[] = []
  let wake: (() => void) | undefined
  sock.on('data', (c: Buffer) => {
    for (const f of decoder.push(c)) inbox.push(ServerResponse.fromBinary(f))
    wake?.()
  })
  const closed = new Promise<void>((r) => sock.once('close', () => r()))
  return {
    send: (req: Partial<ServerRequest>) => sock.write(encodeFrame(ServerRequest.toBinary(ServerRequest.create(req)))),
    raw: (bytes: Uint8Array) => sock.write(bytes),
    async next(): Promise<ServerResponse> {
      while (inbox.length === 0) await new Promise<void>((r) => (wake = r))
      return inbox.shift()!
    },
    inbox,
    closed,
  }
}

export const init = (id: string, requestId: string): Partial<ServerRequest> => ({
  request_id: requestId,
  server_request_type: {oneofKind: 'inform_init', inform_init: {settings: Settings.create({run_id: {value: id}}), _info: {stream_id: id, _tracelog_id: ''}}},
})
export const record = (id: string, requestId: string, rec: Partial<Record>): Partial<ServerRequest> => ({
  request_id: requestId,
  server_request_type: {oneofKind: 'record_publish', record_publish: Record.create({...rec, _info: {stream_id: id, _tracelog_id: ''}})},
})
