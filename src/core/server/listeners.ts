import {mkdtempSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type Server, type Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {WandbError} from '../errors.ts'
import type {Logger} from '../observability/index.ts'

/** Where the service listens: a unix socket path and/or a TCP port on 127.0.0.1. */
export interface ListenAddresses {
  unixPath?: string
  tcpPort?: number
}

/**
 * The listening sockets of the service. A unix socket is tried first, in a fresh 0700 directory
 * `wandb-<parent pid>-<own pid>-*` under the temp dir (then under /tmp when the path would be too
 * long for a socket, as on macOS); TCP on 127.0.0.1 is added with `tcp` or when no unix socket
 * could be opened (Windows). Never listens on anything but a unix path or 127.0.0.1.
 */
export class Listeners {
  readonly addresses: ListenAddresses = {}
  #servers: Server[] = []
  #socketDir: string | undefined
  #logger: Logger
  #handler: ((s: Socket) => void) | undefined
  /** Connections accepted before a handler was attached: paused, their bytes kept by the socket. */
  #held: Socket[] = []

  private constructor(logger: Logger) {
    this.#logger = logger
  }

  /**
   * Opens the listeners. Without `onConnection`, connections are held (the kernel and the socket
   * keep what clients send) until `accept` attaches a handler: a port file can be written while
   * the code that serves it is still loading.
   */
  static async open(o: {parentPid: number; tcp: boolean; logger: Logger; onConnection?: (s: Socket) => void}): Promise<Listeners> {
    const l = new Listeners(o.logger)
    l.#handler = o.onConnection
    const onConnection = (s: Socket) => l.#connected(s)
    if (process.platform !== 'win32') {
      for (const root of [tmpdir(), '/tmp']) {
        try {
          await l.#listenUnix(root, o.parentPid, onConnection)
          break
        } catch (err) {
          o.logger.warn('listeners: unix socket failed', {root, error: (err as Error).message})
        }
      }
    }
    if (o.tcp || l.addresses.unixPath === undefined) {
      try {
        await l.#listenTcp(onConnection)
      } catch (err) {
        o.logger.captureError('listeners: tcp listener failed', err)
      }
    }
    if (l.addresses.unixPath === undefined && l.addresses.tcpPort === undefined) {
      l.close()
      throw new WandbError('listeners: could not open any listener')
    }
    return l
  }

  /** Hands held connections, then every new one, to `handler`. */
  accept(handler: (s: Socket) => void): void {
    this.#handler = handler
    for (const s of this.#held.splice(0)) {
      s.off('error', ignoreHeldError)
      if (!s.destroyed) handler(s)
    }
  }

  #connected(s: Socket): void {
    if (this.#handler) {
      this.#handler(s)
      return
    }
    // a client that goes away before the handler comes is dropped with it, not an uncaught error
    s.on('error', ignoreHeldError)
    this.#held.push(s)
  }

  /** The port-file text the SDK polls for: `unix=<path>\n`, `sock=<port>\n`, then `EOF` without a newline. */
  portFileText(): string {
    let text = ''
    if (this.addresses.unixPath) text += `unix=${this.addresses.unixPath}\n`
    if (this.addresses.tcpPort !== undefined) text += `sock=${this.addresses.tcpPort}\n`
    return text + 'EOF'
  }

  /** Stops accepting and removes the socket and its directory. Idempotent. */
  close(): void {
    for (const s of this.#held.splice(0)) s.destroy()
    for (const s of this.#servers) s.close()
    this.#servers = []
    if (this.#socketDir) rmSync(this.#socketDir, {recursive: true, force: true})
    this.#socketDir = undefined
  }

  async #listenUnix(root: string, parentPid: number, onConnection: (s: Socket) => void): Promise<void> {
    const dir = mkdtempSync(join(root, `wandb-${parentPid}-${process.pid}-`))
    const path = join(dir, 'socket')
    // sun_path is 104 bytes on macOS, 108 on Linux
    if (Buffer.byteLength(path) > 103) {
      rmSync(dir, {recursive: true, force: true})
      throw new WandbError(`listeners: socket path too long (${Buffer.byteLength(path)} bytes)`)
    }
    const server = createServer(onConnection)
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(path, () => {
        server.off('error', reject)
        resolve()
      })
    })
    this.#servers.push(server)
    this.#socketDir = dir
    this.addresses.unixPath = path
  }

  async #listenTcp(onConnection: (s: Socket) => void): Promise<void> {
    const server = createServer(onConnection)
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
    this.#servers.push(server)
    const addr = server.address()
    if (addr && typeof addr === 'object') this.addresses.tcpPort = addr.port
  }
}

function ignoreHeldError(): void {}

/** Writes the port file atomically (`<path>.tmp` then rename), so the SDK never reads it half-written. */
export function writePortFile(path: string, text: string): void {
  const tmp = `${path}.tmp`
  writeFileSync(tmp, text)
  renameSync(tmp, path)
}
