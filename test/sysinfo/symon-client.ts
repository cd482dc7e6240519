/**
 * A minimal client for the SDK 0.31 `wandb-symon` sidecar (gRPC over HTTP/2 on a Unix socket), to
 * compare its readings with Nexus's on the same machine (symon-parity.test.ts, and the device
 * check bench/sysinfo-gpu-check.ts). Reference tooling, not part of Nexus. The protocol, read from
 * the descriptor embedded in wandb-core 0.31:
 *   SystemMonitorService.Subscribe(SubscribeRequest{interval_seconds=1 double, pid=2, gpu_device_ids=3,
 *     track_process_tree=5, disk_paths=8}) → stream SubscribeResponse{record=1 Record}
 *   SystemMonitorService.GetMetadata(GetMetadataRequest{disk_paths=1}) → GetMetadataResponse{record=1 Record}
 */
import {connect as http2Connect, type ClientHttp2Session} from 'node:http2'
import {connect as netConnect} from 'node:net'
import {existsSync, readFileSync} from 'node:fs'
import {watch} from 'node:fs/promises'
import {dirname} from 'node:path'
import {Record as PbRecord} from '../../src/core/proto.ts'

/** Protobuf writer for the few field kinds the requests use. */
function varint(n: number): number[] {
  const out: number[] = []
  while (n > 127) {
    out.push((n & 127) | 128)
    n = Math.floor(n / 128)
  }
  out.push(n)
  return out
}
function lenField(field: number, bytes: Uint8Array): number[] {
  return [...varint((field << 3) | 2), ...varint(bytes.length), ...bytes]
}
function grpcFrame(msg: number[]): Buffer {
  const b = Buffer.alloc(5 + msg.length)
  b.writeUInt32BE(msg.length, 1)
  Buffer.from(msg).copy(b, 5)
  return b
}
/** Field 1 (a Record) of a response message. */
function recordOf(msg: Uint8Array): PbRecord | undefined {
  let p = 0
  while (p < msg.length) {
    let tag = 0
    let s = 0
    for (;;) {
      const c = msg[p++]
      tag |= (c & 127) << s
      s += 7
      if (c < 128) break
    }
    let len = 0
    s = 0
    for (;;) {
      const c = msg[p++]
      len += (c & 127) * 2 ** s
      s += 7
      if (c < 128) break
    }
    if (tag === 0x0a) return PbRecord.fromBinary(msg.subarray(p, p + len))
    p += len
  }
  return undefined
}

/**
 * Waits (by watching its folder) until `portfile` names a socket that exists ("unix=<path>", no
 * newline), and returns that line.
 */
async function portfileLine(portfile: string, signal: AbortSignal): Promise<string> {
  const read = () => {
    try {
      const line = readFileSync(portfile, 'utf8').split('\n')[0].trim()
      const m = /^unix=(.+)$/.exec(line)
      return m && existsSync(m[1]) ? line : ''
    } catch {
      return ''
    }
  }
  const watcher = watch(dirname(portfile), {signal})
  const first = read()
  if (first) return first
  for await (const _ of watcher) {
    const line = read()
    if (line) return line
  }
  return read()
}

export class SymonClient {
  readonly #session: ClientHttp2Session
  readonly child: ReturnType<typeof Bun.spawn>

  private constructor(session: ClientHttp2Session, child: ReturnType<typeof Bun.spawn>) {
    this.#session = session
    this.child = child
  }

  /** Starts wandb-symon (with `env` added to ours) and connects to the socket it names in its portfile. */
  static async start(binary: string, portfile: string, env: {[k: string]: string} = {}): Promise<SymonClient> {
    const child = Bun.spawn([binary, '--portfile', portfile, '--parent-pid', String(process.pid)], {stdout: 'ignore', stderr: 'ignore', env: {...process.env, ...env}})
    const line = await portfileLine(portfile, AbortSignal.timeout(10_000)).catch(() => '')
    const m = /^unix=(.+)$/.exec(line.trim())
    if (!m) {
      child.kill()
      await child.exited
      throw new Error(`wandb-symon portfile: ${JSON.stringify(line)}`)
    }
    const session = http2Connect('http://localhost', {createConnection: () => netConnect(m[1])})
    return new SymonClient(session, child)
  }

  #call(method: string, body: number[], onMessage: (msg: Uint8Array) => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = this.#session.request({':method': 'POST', ':path': `/wandb_internal.SystemMonitorService/${method}`, 'content-type': 'application/grpc', te: 'trailers'})
      let buf = Buffer.alloc(0)
      req.on('data', (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk])
        while (buf.length >= 5 && buf.length >= 5 + buf.readUInt32BE(1)) {
          const n = buf.readUInt32BE(1)
          const msg = buf.subarray(5, 5 + n)
          buf = buf.subarray(5 + n)
          if (!onMessage(msg)) {
            req.close()
            resolve()
            return
          }
        }
      })
      req.on('end', () => resolve())
      req.on('error', reject)
      req.end(grpcFrame(body))
    })
  }

  /** The environment record GetMetadata answers for `diskPaths`. */
  async metadata(diskPaths: string[]): Promise<PbRecord | undefined> {
    let rec: PbRecord | undefined
    await this.#call(
      'GetMetadata',
      diskPaths.flatMap((p) => lenField(1, new TextEncoder().encode(p))),
      (msg) => {
        rec = recordOf(msg)
        return false
      },
    )
    return rec
  }

  /** The first `n` stats records of a subscription sampling every `intervalS` seconds. */
  async stats(o: {n: number; intervalS: number; pid: number; diskPaths: string[]}): Promise<PbRecord[]> {
    const interval = Buffer.alloc(8)
    interval.writeDoubleLE(o.intervalS)
    const body = [0x09, ...interval, ...varint(2 << 3), ...varint(o.pid), ...o.diskPaths.flatMap((p) => lenField(8, new TextEncoder().encode(p)))]
    const out: PbRecord[] = []
    await this.#call('Subscribe', body, (msg) => {
      const rec = recordOf(msg)
      if (rec) out.push(rec)
      return out.length < o.n
    })
    return out
  }

  /** Closes the connection and stops the sidecar; resolves once it has exited. */
  async close(): Promise<void> {
    this.#session.close()
    this.child.kill()
    await this.child.exited
  }
}
