/**
 * The netrc file as the SDK uses it (wandb/sdk/lib/wbauth/wbnetrc.py): where it is, how a key is
 * looked up for a server (by netloc, port included, with the `default` entry as fallback), and
 * how a key is stored (the machine's old block dropped, a new block appended). Unlike the SDK,
 * a file Python's netrc module cannot parse is never written (NetrcSyntaxError names the line),
 * lines other than the replaced block are kept byte for byte (CRLF too), and the file is replaced
 * atomically with mode 0600.
 */
import {existsSync, mkdirSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {CredentialsFileError, NetrcSyntaxError} from './errors.ts'
import {envValue, expandUser, homeDir, resolveEnvironment, type Environment} from './environment.ts'
import {forgeUpstreamUrl, netlocOf} from './host-url.ts'
import {NetrcParseError, netrcAuthenticators, parseNetrc, type ParsedNetrc} from './netrc-parser.ts'
import {ShlexError, shlexQuote, shlexSplit} from './shlex.ts'
import {readTextIfExists, writeFileAtomic} from './text-files.ts'

/**
 * The netrc path (wbnetrc._get_netrc_file_path): $NETRC (with ~ expanded); else ~/.netrc if it
 * exists; else ~/_netrc if it exists; else ~/.netrc (~/_netrc on Windows). The file may not exist.
 */
export function netrcPath(e: Environment = {}): string {
  const r = resolveEnvironment(e)
  const fromEnv = envValue(r.env, 'NETRC')
  if (fromEnv) return expandUser(fromEnv, r)
  const unix = join(homeDir(r), '.netrc')
  const windows = join(homeDir(r), '_netrc')
  if (existsSync(unix)) return unix
  if (existsSync(windows)) return windows
  return r.platform === 'win32' ? windows : unix
}

/** Parses netrc text, turning a parse error into a NetrcSyntaxError about `path`. */
export function parseNetrcFile(path: string, text: string): ParsedNetrc {
  try {
    return parseNetrc(text)
  } catch (err) {
    if (err instanceof NetrcParseError) throw new NetrcSyntaxError(path, err.line, err.reason)
    throw err
  }
}

/** A key found in a netrc file, with the machine name it was found under. */
export interface NetrcKey {
  apiKey: string
  path: string
  machine: string
}

/**
 * The key stored for `baseUrl` (a normalised URL): the entry for its netloc, else (for a Forge
 * URL) for the W&B host behind it, else the `default` entry. Undefined when the file does not
 * exist or the entry has no password; NetrcSyntaxError when the file is malformed.
 */
export function readNetrcKey(baseUrl: string, e: Environment = {}): NetrcKey | undefined {
  const path = netrcPath(e)
  const text = readTextIfExists(path)
  if (text === undefined) return undefined
  const parsed = parseNetrcFile(path, text)
  const netloc = netlocOf(baseUrl)
  if (netloc === '') return undefined
  let machine = netloc
  let entry = netrcAuthenticators(parsed, netloc)
  const upstream = forgeUpstreamUrl(baseUrl)
  if (!entry && upstream !== baseUrl) {
    machine = netlocOf(upstream)
    entry = netrcAuthenticators(parsed, machine)
  }
  if (!entry || entry.password === '') return undefined
  if (!parsed.hosts.has(machine)) machine = 'default'
  return {apiKey: entry.password, path, machine}
}

/**
 * The SDK's `_update_netrc` on text: every line except the old block of `machine` (from its
 * `machine` line to the next `machine`/`default` line) kept as is, then
 * `machine <m>\n  login user\n  password <key>\n` appended (shell-quoted like the SDK).
 */
export function updateNetrcText(text: string, machine: string, password: string): string {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? []
  const kept: string[] = []
  let inOldEntry = false
  for (const line of lines) {
    const tokens = splitNetrcLine(line)
    if (tokens[0] === 'machine' && tokens[1] === machine) inOldEntry = true
    else if (tokens[0] === 'machine' || tokens[0] === 'default') inOldEntry = false
    if (!inOldEntry) kept.push(line)
  }
  const last = kept.at(-1)
  if (last !== undefined && !last.endsWith('\n')) kept[kept.length - 1] = `${last}\n`
  return `${kept.join('')}machine ${shlexQuote(machine)}\n  login user\n  password ${shlexQuote(password)}\n`
}

/** A line's tokens as the SDK splits them: shlex, or plain whitespace when the quotes are broken. */
function splitNetrcLine(line: string): string[] {
  try {
    return shlexSplit(line)
  } catch (err) {
    if (err instanceof ShlexError) return line.split(/\s+/).filter((t) => t !== '')
    throw err
  }
}

/** What writeNetrcKey did. */
export interface NetrcWrite {
  path: string
  machine: string
  /** The file did not exist before. */
  created: boolean
}

/**
 * Checks that the netrc file can be updated (it parses) without changing it: call before
 * verification so a malformed file fails fast. Returns the path and the current text.
 */
export function checkNetrcWritable(e: Environment = {}): {path: string; text: string | undefined} {
  const path = netrcPath(e)
  const text = readTextIfExists(path)
  if (text !== undefined) parseNetrcFile(path, text)
  return {path, text}
}

/**
 * Stores `apiKey` for `baseUrl` (a normalised URL) as the SDK's write_netrc_auth does. A file
 * that does not parse is left untouched (NetrcSyntaxError); write failures are
 * CredentialsFileError. The file ends up with mode 0600.
 */
export function writeNetrcKey(baseUrl: string, apiKey: string, e: Environment = {}): NetrcWrite {
  const machine = netlocOf(baseUrl)
  const {path, text} = checkNetrcWritable(e)
  const updated = updateNetrcText(text ?? '', machine, apiKey)
  try {
    mkdirSync(dirname(path), {recursive: true})
    writeFileAtomic(path, updated, 0o600)
  } catch (err) {
    throw new CredentialsFileError('write', path, err)
  }
  return {path, machine, created: text === undefined}
}
