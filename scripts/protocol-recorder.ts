/**
 * Development tool: record the socket conversation between the wandb SDK and a service.
 *
 *   bun scripts/protocol-recorder.ts --core PATH_TO_WANDB_CORE --out trace.jsonl -- python script.py
 *
 * Starts the given service (e.g. the real Go wandb-core from .venv) detached, puts a relay in front
 * of its unix socket, runs the command with WANDB_SERVICE pointing at the relay, and writes every
 * frame in both directions as a JSON line {t, dir: "sdk"|"core", conn, msg}. Used to learn what the
 * 0.31 SDK sends and what Go core answers, so nexus can be checked against it.
 */
import {mkdtempSync, readFileSync, existsSync, writeFileSync} from 'node:fs'
import {createConnection, createServer, type Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {ServerRequest, ServerResponse} from '../src/core/proto.ts'

const argv = process.argv.slice(2)
const sep = argv.indexOf('--')
const opt = (name: string) => {
  const i = argv.indexOf(name)
  return i >= 0 && i < sep ? argv[i + 1] : undefined
}
const core = opt('--core')
const out = opt('--out') ?? 'trace.jsonl'
const cmd = argv.slice(sep + 1)
if (!core || sep < 0 || cmd.length === 0) {
  console.error('usage: bun scripts/protocol-recorder.ts --core WANDB_CORE [--out FILE] -- COMMAND...')
  process.exit(2)
}

const dir = mkdtempSync(join(tmpdir(), 'recorder-'))
const portFile = join(dir, 'port.txt')
const svc = Bun.spawn([core, '--port-filename', portFile, '--pid', String(process.pid), '--detached', '--idle-timeout', '0'], {
  stdout: 'inherit',
  stderr: 'inherit',
})
while (!existsSync(portFile) || !readFileSync(portFile, 'utf8').endsWith('EOF')) await Bun.sleep(20)
const target = /unix=(.+)/.exec(readFileSync(portFile, 'utf8'))![1]

const lines: string[] = []
const t0 = performance.now()
let connId = 0

function frames(onMsg: (b: Uint8Array) => void) {
  let buf = Buffer.alloc(0)
  return (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk])
    while (buf.length >= 5) {
      const len = buf.readUInt32LE(1)
      if (buf.length < 5 + len) break
      onMsg(buf.subarray(5, 5 + len))
      buf = buf.subarray(5 + len)
    }
  }
}

function log(dirName: string, conn: number, json: unknown) {
  lines.push(JSON.stringify({t: Math.round(performance.now() - t0), dir: dirName, conn, msg: json}, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)))
}

const relayPath = join(dir, 'relay.sock')
const server = createServer((sdk: Socket) => {
  const id = connId++
  const up = createConnection(target)
  const fromSdk = frames((b) => log('sdk', id, ServerRequest.toJson(ServerRequest.fromBinary(b), {useProtoFieldName: true})))
  const fromCore = frames((b) => log('core', id, ServerResponse.toJson(ServerResponse.fromBinary(b), {useProtoFieldName: true})))
  sdk.on('data', (c: Buffer) => {
    fromSdk(c)
    up.write(c)
  })
  up.on('data', (c: Buffer) => {
    fromCore(c)
    sdk.write(c)
  })
  sdk.on('close', () => up.end())
  up.on('close', () => sdk.end())
  sdk.on('error', () => up.destroy())
  up.on('error', () => sdk.destroy())
})
await new Promise<void>((r) => server.listen(relayPath, r))

const child = Bun.spawn(cmd, {stdout: 'inherit', stderr: 'inherit', env: {...process.env, WANDB_SERVICE: `3-${process.pid}-unix-${relayPath}`}})
const code = await child.exited
server.close()
svc.kill('SIGTERM')
await svc.exited
writeFileSync(out, lines.join('\n') + '\n')
console.error(`recorder: command exited ${code}; ${lines.length} frames written to ${out}`)
