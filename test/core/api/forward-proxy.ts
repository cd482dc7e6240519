/**
 * A small forward proxy on 127.0.0.1 for tests, as corporate proxies work: CONNECT tunnels for
 * https targets, absolute-URI requests ("GET http://host/path") for http targets, one request per
 * connection for the latter (it answers with Connection: close). It records every request with
 * its Proxy-Authorization, can demand one (407 otherwise), and resolves names through `hosts`
 * (so a target such as wandb.test needs no DNS).
 *
 *   await using proxy = startForwardProxy({hosts: {'wandb.test': '127.0.0.1'}})
 *   // send requests with proxy.url, then: proxy.requests
 */
import type {Socket, TCPSocketListener} from 'bun'

export interface ProxiedRequest {
  /** CONNECT for a tunnel, else the forwarded request's method. */
  method: string
  /** host:port of a CONNECT, or the absolute URL of a forwarded request. */
  target: string
  proxyAuthorization: string | undefined
  /** The answer of the proxy itself: 200 (tunnel open / forwarded), 407, 502. */
  status: number
}

export interface ForwardProxyOptions {
  /** Name → address the proxy connects to instead (no DNS). */
  hosts?: Record<string, string>
  /** Answer 407 unless the request's Proxy-Authorization is exactly this. */
  requireAuthorization?: string
}

export interface ForwardProxy {
  /** http://127.0.0.1:PORT */
  readonly url: string
  readonly port: number
  /** Every request seen, in order. */
  readonly requests: ProxiedRequest[]
  /** Closes the listener and every open connection. Idempotent. */
  stop(): void
  [Symbol.asyncDispose](): Promise<void>
}

interface Side {
  /** Bytes not yet accepted by the socket (written on drain). */
  queue: Uint8Array[]
  peer?: Socket<Side>
  /** Client side only: bytes before the head was parsed. */
  head?: Buffer
  /** Client side only: bytes after the head that came before the upstream opened. */
  pending?: Uint8Array[]
  /** Upstream side of a forwarded request: rewrite its response head once. */
  rewriteResponse?: {buf: Buffer}
  closed?: boolean
}

const HEAD_END = Buffer.from('\r\n\r\n')

function write(socket: Socket<Side>, bytes: Uint8Array): void {
  if (socket.data.closed) return
  if (socket.data.queue.length > 0) {
    socket.data.queue.push(bytes)
    return
  }
  const n = socket.write(bytes)
  if (n < bytes.byteLength) socket.data.queue.push(bytes.subarray(Math.max(0, n)))
}

function flush(socket: Socket<Side>): void {
  while (socket.data.queue.length > 0) {
    const next = socket.data.queue[0]
    const n = socket.write(next)
    if (n < next.byteLength) {
      socket.data.queue[0] = next.subarray(Math.max(0, n))
      return
    }
    socket.data.queue.shift()
  }
}

function close(socket: Socket<Side> | undefined): void {
  if (!socket || socket.data.closed) return
  socket.data.closed = true
  socket.end()
}

/** Starts the proxy; `stop()` (or `await using`) closes it. */
export function startForwardProxy(o: ForwardProxyOptions = {}): ForwardProxy {
  const requests: ProxiedRequest[] = []
  const clients = new Set<Socket<Side>>()
  const resolve = (host: string) => o.hosts?.[host.toLowerCase()] ?? host

  const answer = (client: Socket<Side>, status: number, reason: string) => {
    write(client, Buffer.from(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: 0\r\nConnection: close\r\n${status === 407 ? 'Proxy-Authenticate: Basic realm="test"\r\n' : ''}\r\n`))
    close(client)
  }

  const connectUpstream = async (client: Socket<Side>, host: string, port: number, first: Uint8Array, onOpen: () => void, rewrite: boolean) => {
    try {
      const upstream = await Bun.connect<Side>({
        hostname: resolve(host),
        port,
        data: {queue: [], peer: client, rewriteResponse: rewrite ? {buf: Buffer.alloc(0)} : undefined},
        socket: {
          data(up, chunk) {
            const r = up.data.rewriteResponse
            if (!r) return write(client, chunk)
            r.buf = Buffer.concat([r.buf, chunk])
            const end = r.buf.indexOf(HEAD_END)
            if (end < 0) return
            const lines = r.buf
              .subarray(0, end)
              .toString('latin1')
              .split('\r\n')
              .filter((l) => !/^connection:/i.test(l))
            write(client, Buffer.concat([Buffer.from(`${[...lines, 'Connection: close'].join('\r\n')}\r\n\r\n`, 'latin1'), r.buf.subarray(end + 4)]))
            up.data.rewriteResponse = undefined
          },
          drain: flush,
          close: () => close(client),
          error: () => close(client),
        },
      })
      client.data.peer = upstream
      onOpen()
      if (first.byteLength > 0) write(upstream, first)
      for (const chunk of client.data.pending ?? []) write(upstream, chunk)
      client.data.pending = undefined
    } catch {
      answer(client, 502, 'Bad Gateway')
    }
  }

  const onHead = (client: Socket<Side>, head: string, rest: Buffer) => {
    const [requestLine, ...headerLines] = head.split('\r\n')
    const [method = '', target = ''] = requestLine.split(' ')
    const auth = headerLines.find((l) => /^proxy-authorization:/i.test(l))?.replace(/^[^:]*:\s*/, '')
    const denied = o.requireAuthorization !== undefined && auth !== o.requireAuthorization
    const entry: ProxiedRequest = {method, target, proxyAuthorization: auth, status: denied ? 407 : 200}
    requests.push(entry)
    if (denied) return answer(client, 407, 'Proxy Authentication Required')
    if (method === 'CONNECT') {
      const colon = target.lastIndexOf(':')
      const host = target.slice(0, colon).replace(/^\[(.*)\]$/, '$1')
      void connectUpstream(client, host, Number(target.slice(colon + 1)), rest, () => write(client, Buffer.from('HTTP/1.1 200 Connection Established\r\n\r\n')), false)
      return
    }
    let url: URL
    try {
      url = new URL(target)
    } catch {
      entry.status = 400
      return answer(client, 400, 'Bad Request')
    }
    const headers = headerLines.filter((l) => !/^(proxy-authorization|proxy-connection|connection):/i.test(l))
    const rewritten = Buffer.from(`${method} ${url.pathname}${url.search} HTTP/1.1\r\n${[...headers, 'Connection: close'].join('\r\n')}\r\n\r\n`, 'latin1')
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80))
    void connectUpstream(client, url.hostname.replace(/^\[(.*)\]$/, '$1'), port, Buffer.concat([rewritten, rest]), () => {}, true)
  }

  const listener: TCPSocketListener<Side> = Bun.listen<Side>({
    hostname: '127.0.0.1',
    port: 0,
    data: {queue: []},
    socket: {
      open(client) {
        client.data = {queue: [], head: Buffer.alloc(0)}
        clients.add(client)
      },
      data(client, chunk) {
        if (client.data.head === undefined) {
          if (client.data.peer) write(client.data.peer, chunk)
          else (client.data.pending ??= []).push(Buffer.from(chunk))
          return
        }
        const buf = Buffer.concat([client.data.head, chunk])
        const end = buf.indexOf(HEAD_END)
        if (end < 0) {
          client.data.head = buf
          return
        }
        client.data.head = undefined
        onHead(client, buf.subarray(0, end).toString('latin1'), buf.subarray(end + 4))
      },
      drain: flush,
      close(client) {
        clients.delete(client)
        client.data.closed = true
        close(client.data.peer)
      },
      error(client) {
        close(client.data.peer)
      },
    },
  })

  let stopped = false
  const stop = () => {
    if (stopped) return
    stopped = true
    for (const c of clients) {
      close(c.data.peer)
      close(c)
    }
    listener.stop(true)
  }
  return {
    url: `http://127.0.0.1:${listener.port}`,
    port: listener.port,
    requests,
    stop,
    [Symbol.asyncDispose]: async () => stop(),
  }
}
