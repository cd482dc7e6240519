import {isIP} from 'node:net'

/**
 * The NO_PROXY rules of Go's environment proxies (golang.org/x/net/http/httpproxy, which Go
 * wandb-core uses through http.ProxyFromEnvironment), so that a host bypasses the environment's
 * proxy in nexus exactly when it does in Go:
 * - `localhost` and loopback addresses (127.0.0.0/8, ::1) never use an environment proxy;
 * - entries are comma-separated, case-insensitive, trimmed; `*` matches every host;
 * - `10.0.0.0/8`, `fd00::/8`: CIDR blocks, for hosts given as IP addresses;
 * - `1.2.3.4`, `[::1]:8080`, `1.2.3.4:80`: an IP address, with an optional port;
 * - `example.com` matches example.com and its subdomains, `.example.com` and `*.example.com`
 *   only the subdomains; `example.com:8080` only that port (default ports: http 80, https 443).
 * Domain entries never match hosts given as IP addresses, and no name is resolved.
 */
export class NoProxy {
  readonly #all: boolean
  readonly #cidrs: Cidr[]
  readonly #ips: IpEntry[]
  readonly #domains: DomainEntry[]

  private constructor(all: boolean, cidrs: Cidr[], ips: IpEntry[], domains: DomainEntry[]) {
    this.#all = all
    this.#cidrs = cidrs
    this.#ips = ips
    this.#domains = domains
  }

  /** Parses a NO_PROXY value; entries it cannot read are skipped, as Go skips them. */
  static parse(value: string): NoProxy {
    const cidrs: Cidr[] = []
    const ips: IpEntry[] = []
    const domains: DomainEntry[] = []
    for (const raw of value.split(',')) {
      const entry = raw.trim().toLowerCase()
      if (!entry) continue
      if (entry === '*') return new NoProxy(true, [], [], [])
      const cidr = parseCidr(entry)
      if (cidr) {
        cidrs.push(cidr)
        continue
      }
      let [host, port] = splitHostPort(entry) ?? [entry, '']
      if (!host) continue
      const ip = parseIp(host)
      if (ip) {
        ips.push({...ip, port})
        continue
      }
      if (host.startsWith('*.')) host = host.slice(1)
      const exact = !host.startsWith('.')
      domains.push({suffix: exact ? `.${host}` : host, exact, port})
    }
    return new NoProxy(false, cidrs, ips, domains)
  }

  /** True if requests to `url` go direct instead of through an environment proxy. */
  bypasses(url: URL): boolean {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase()
    if (!host) return false
    const port = url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '')
    if (host === 'localhost') return true
    const ip = parseIp(host)
    if (ip && isLoopback(ip)) return true
    if (this.#all) return true
    if (ip) {
      if (this.#cidrs.some((c) => c.v6 === ip.v6 && ip.ip >> c.shift === c.prefix)) return true
      if (this.#ips.some((m) => m.v6 === ip.v6 && m.ip === ip.ip && (!m.port || m.port === port))) return true
      return false
    }
    return this.#domains.some((d) => (host.endsWith(d.suffix) || (d.exact && host === d.suffix.slice(1))) && (!d.port || d.port === port))
  }
}

interface Cidr {
  v6: boolean
  /** The network's leading bits (the address shifted right by `shift`). */
  prefix: bigint
  shift: bigint
}

interface Ip {
  ip: bigint
  v6: boolean
}

type IpEntry = Ip & {port: string}

/** `suffix` starts with a dot; `exact` also matches the name without it. */
interface DomainEntry {
  suffix: string
  exact: boolean
  port: string
}

/** "host:port" or "[v6]:port" → [host, port]; undefined when there is no port. */
function splitHostPort(entry: string): [string, string] | undefined {
  const bracketed = /^\[([^\]]*)\]:(\d*)$/.exec(entry)
  if (bracketed) return [bracketed[1], bracketed[2]]
  const colon = entry.lastIndexOf(':')
  if (colon < 0 || entry.indexOf(':') !== colon) return undefined
  return [entry.slice(0, colon), entry.slice(colon + 1)]
}

function parseCidr(entry: string): Cidr | undefined {
  const slash = entry.indexOf('/')
  if (slash < 0) return undefined
  const ip = parseIp(entry.slice(0, slash))
  const bits = Number(entry.slice(slash + 1))
  const width = ip?.v6 ? 128 : 32
  if (!ip || !/^\d+$/.test(entry.slice(slash + 1)) || bits > width) return undefined
  const shift = BigInt(width - bits)
  return {v6: ip.v6, prefix: ip.ip >> shift, shift}
}

/** An IPv4 or IPv6 address as a number; an IPv4-mapped IPv6 address counts as IPv4 (as in Go). */
function parseIp(host: string): Ip | undefined {
  const kind = isIP(host)
  if (kind === 4) return {ip: v4(host), v6: false}
  if (kind !== 6) return undefined
  let [head, tail] = host.includes('::') ? host.split('::') : [host, undefined]
  const last = (tail ?? head).split(':').at(-1) ?? ''
  const dotted = last.includes('.') ? v4(last) : undefined
  if (dotted !== undefined) {
    const hex = `${(dotted >> 16n).toString(16)}:${(dotted & 0xffffn).toString(16)}`
    if (tail !== undefined) tail = tail.replace(last, hex)
    else head = head.replace(last, hex)
  }
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
  const ip = groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g || '0', 16)), 0n)
  return ip >> 32n === 0xffffn ? {ip: ip & 0xffffffffn, v6: false} : {ip, v6: true}
}

function v4(host: string): bigint {
  return host.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n)
}

function isLoopback(ip: Ip): boolean {
  return ip.v6 ? ip.ip === 1n : ip.ip >> 24n === 127n
}
