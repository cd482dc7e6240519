import {existsSync, rmSync, writeSync} from 'node:fs'
import {setParentDeathSignal} from '../service/parent-death-signal.ts'
import type {Socket} from 'bun'
import {ControlChannel, type NodeMessage, type StandInMessage} from './control.ts'
import {sharedNodeDir} from './node-dir.ts'
import {buildIdentity, keyInputsOfThisProcess, nodeKey} from './node-key.ts'
import {nodeSocketPath, nodeSpawnLockPath} from './paths.ts'
import {SpawnLock} from './spawn-lock.ts'

/** How long a stand-in waits for a node service it started (or another stand-in starts). */
const NODE_START_TIMEOUT_MS = 5000
/** How often it tries the node socket meanwhile: a failed connect is one cheap syscall, and the node listens within ~10 ms. */
const CONNECT_POLL_MS = 2
/** How long the node service may take to open a session. */
const OPEN_TIMEOUT_MS = 10_000
/** The parent-death watchdog period (as the private service's). */
const WATCHDOG_PERIOD_MS = 100
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

export interface StandInOptions {
  portFilename: string
  pid: number
  logLevel: number
  detached: boolean
  listenOnLocalhost: boolean
  osPidShutdown: boolean
}

/** Why this process runs a private service instead of joining the node service. */
export interface NotShared {
  reason: string
}

/**
 * Whether a launch may share the node service: the compiled binary (its file identity keys the
 * node), a unix platform (a node reached over TCP would not be user-private), an SDK parent, not
 * `--detached` (that service already outlives its client), and not opted out with
 * NEXUS_SHARED_SERVICE=0. NEXUS_SHARED_SERVICE=1 also shares when running from sources.
 */
export function whyNotShared(o: StandInOptions, env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const setting = (env.NEXUS_SHARED_SERVICE ?? '').toLowerCase()
  if (['0', 'false', 'no', 'off'].includes(setting)) return 'NEXUS_SHARED_SERVICE is off'
  if (process.platform === 'win32') return 'sharing needs unix sockets'
  if (o.detached) return 'a detached service is shared already'
  if (o.pid === 0) return 'no --pid: nothing to share the service with'
  if (!isCompiled() && !['1', 'true', 'yes', 'on'].includes(setting)) return 'running from sources (set NEXUS_SHARED_SERVICE=1 to share)'
  return undefined
}

function isCompiled(): boolean {
  return Bun.main.startsWith('/$bunfs/') || /^[A-Z]:[\\/]~BUN[\\/]/.test(Bun.main)
}

/**
 * The process the SDK launched, when it shares the node service: joins (or starts) the user's
 * node service for this key, has it open a session that writes the port file, and then stays as
 * the handle the SDK watches: it forwards signals and its parent's death to the session, prints
 * the session's footers, and exits with the code the private service would have exited with.
 * Returns NotShared (before any port file is written) when sharing is not possible.
 */
export async function runStandIn(o: StandInOptions): Promise<number | NotShared> {
  const why = whyNotShared(o)
  if (why) return {reason: why}
  let dir: string, key: string, build: string
  try {
    dir = sharedNodeDir()
    build = buildIdentity()
    key = nodeKey(keyInputsOfThisProcess(o.logLevel))
  } catch (err) {
    return {reason: (err as Error).message}
  }
  const link = await connectOrStart(dir, key, o.logLevel)
  if (!link) return {reason: 'the node service did not start'}
  if (o.osPidShutdown) {
    const code = setParentDeathSignal(o.pid)
    if (code !== 0) {
      link.socket.end()
      return code
    }
  }
  return await serve(link, o, build, key)
}

async function serve(link: NodeLink, o: StandInOptions, build: string, key: string): Promise<number | NotShared> {
  let opened = false
  let settled = false
  let resolve!: (r: number | NotShared) => void
  const result = new Promise<number | NotShared>((r) => (resolve = r))
  const settle = (r: number | NotShared) => {
    if (settled) return
    settled = true
    resolve(r)
  }
  const channel = new ControlChannel<NodeMessage, StandInMessage>({write: (b) => link.write(b), end: () => link.socket.end()}, (m) => {
    if (m.op === 'opened') opened = true
    else if (m.op === 'refused') settle({reason: m.reason})
    else if (m.op === 'print') writeSync(1, `${m.line}\n`)
    else if (m.op === 'exit') settle(m.code)
  })
  link.attach(channel)
  channel.send({op: 'open', build, key, parentPid: o.pid, portFilename: o.portFilename, listenOnLocalhost: o.listenOnLocalhost})
  const openTimer = setTimeout(() => {
    if (!opened && !existsSync(o.portFilename)) {
      channel.close()
      settle({reason: 'the node service did not open a session in time'})
    }
  }, OPEN_TIMEOUT_MS)
  void channel.closed.then(() => {
    if (settled) return
    if (opened) {
      writeSync(2, "nexus: the shared node service ended without finishing this process's runs; their .wandb files can be uploaded with `nexus sync`\n")
      settle(1)
    } else {
      // The session never opened: a port file it may have written leads nowhere.
      rmSync(o.portFilename, {force: true})
      settle({reason: 'the node service closed the session before opening it'})
    }
  })
  let parentGoneSent = false
  const parentGone = () => {
    if (parentGoneSent) return
    parentGoneSent = true
    channel.send({op: 'parent-gone'})
  }
  const onSignal = (signal: NodeJS.Signals) => {
    // --os-pid-shutdown's SIGTERM when the parent dies is the client's death, not a stop request.
    if (process.ppid !== o.pid) parentGone()
    else channel.send({op: 'signal', signal})
  }
  for (const s of STOP_SIGNALS) process.on(s, onSignal)
  const watchdog = setInterval(() => {
    if (process.ppid !== o.pid) parentGone()
  }, WATCHDOG_PERIOD_MS)
  const r = await result
  clearTimeout(openTimer)
  clearInterval(watchdog)
  for (const s of STOP_SIGNALS) process.off(s, onSignal)
  channel.close()
  return r
}

/** A connection to the node service; received bytes wait for the channel that attach() gives. */
interface NodeLink {
  socket: Socket<undefined>
  /** Writes all of `bytes`: what the kernel did not take now is written on drain. */
  write(bytes: Uint8Array): void
  attach(channel: ControlChannel<NodeMessage, StandInMessage>): void
}

/** Connects to the node service of `key`, starting it when none answers; undefined on failure. */
async function connectOrStart(dir: string, key: string, logLevel: number): Promise<NodeLink | undefined> {
  const path = nodeSocketPath(dir, key)
  const first = await tryConnect(path)
  if (first) return first
  const deadline = performance.now() + NODE_START_TIMEOUT_MS
  let lock: SpawnLock | undefined
  let spawned = false
  try {
    while (performance.now() < deadline) {
      if (!spawned) {
        lock ??= SpawnLock.tryTake(nodeSpawnLockPath(dir, key))
        if (lock) {
          const again = await tryConnect(path)
          if (again) return again
          spawnNode(key, logLevel)
          spawned = true
        }
      }
      await Bun.sleep(CONNECT_POLL_MS)
      const s = await tryConnect(path)
      if (s) return s
    }
    return undefined
  } finally {
    lock?.release()
  }
}

/** Bun's own socket (about 3 MiB less resident memory than node:net's in a compiled binary). */
async function tryConnect(path: string): Promise<NodeLink | undefined> {
  let channel: ControlChannel<NodeMessage, StandInMessage> | undefined
  const early: Uint8Array[] = []
  let closedEarly = false
  let unsent: Uint8Array | undefined
  const flush = (socket: Socket<undefined>) => {
    if (!unsent) return
    const n = socket.write(unsent)
    unsent = n >= unsent.length ? undefined : unsent.subarray(Math.max(0, n))
  }
  try {
    const socket = await Bun.connect({
      unix: path,
      socket: {
        data(_s, chunk) {
          if (channel) channel.receive(chunk)
          else early.push(new Uint8Array(chunk))
        },
        close() {
          if (channel) channel.ended()
          else closedEarly = true
        },
        drain(s) {
          flush(s)
        },
        error() {},
      },
    })
    return {
      socket,
      write(bytes) {
        unsent = unsent ? Buffer.concat([unsent, bytes]) : bytes
        flush(socket)
      },
      attach(c) {
        channel = c
        for (const chunk of early.splice(0)) c.receive(chunk)
        if (closedEarly) c.ended()
      },
    }
  } catch {
    return undefined
  }
}

/** Starts the node service detached from this process, its session and its terminal. */
function spawnNode(key: string, logLevel: number): void {
  const entry = isCompiled() ? [] : [Bun.main]
  const child = Bun.spawn([process.execPath, ...entry, 'service', '--shared-node', key, '--log-level', String(logLevel)], {
    stdio: ['ignore', 'ignore', 'ignore'],
    env: process.env,
    cwd: process.cwd(),
    detached: true,
  })
  child.unref()
}
