/**
 * `wandb-core leet [<command>] [flags] [<dir>]` read with Go's flag package rules (one or two
 * dashes, `-name=value` or `-name value`, parsing stops at the first argument that is not a flag),
 * so nexus can tell the `leet inspect --summary` calls it serves from those the original core gets.
 */
import {goQuote} from './go-format.ts'

export interface InspectOptions {
  summary: boolean
  json: boolean
  follow: boolean
  /** --idle-timeout in seconds (Go's default 10m). */
  idleTimeoutS: number
  runFile: string
  wandbDir: string
}

export type LeetPlan =
  /** `leet inspect` with valid flags for a summary: nexus prints it. */
  | {kind: 'summary'; options: InspectOptions}
  /** Any other command or mode, help, or a usage error: the original core answers it. */
  | {kind: 'delegate'; reason: string; usageError?: string}

type FlagKind = 'bool' | 'string' | 'int' | 'duration'

const INSPECT_FLAGS: Record<string, FlagKind> = {
  'log-level': 'int',
  'no-observability': 'bool',
  'base-url': 'string',
  pprof: 'string',
  'run-file': 'string',
  summary: 'bool',
  json: 'bool',
  follow: 'bool',
  'idle-timeout': 'duration',
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True'])
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False'])
const UNIT_S: Record<string, number> = {ns: 1e-9, us: 1e-6, µs: 1e-6, μs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600}

/** time.ParseDuration in seconds, or undefined. */
export function parseGoDuration(text: string): number | undefined {
  const m = /^([-+]?)(.*)$/.exec(text)!
  if (m[2] === '0') return 0
  if (m[2] === '') return undefined
  let total = 0
  const re = /(\d*\.?\d*)([a-zµμ]+)/gy
  let at = 0
  for (let part = re.exec(m[2]); part; part = re.exec(m[2])) {
    const unit = UNIT_S[part[2]]
    if (part[1] === '' || part[1] === '.' || unit === undefined) return undefined
    total += Number(part[1]) * unit
    at = re.lastIndex
  }
  if (at !== m[2].length) return undefined
  return m[1] === '-' ? -total : total
}

function validValue(kind: FlagKind, value: string): boolean {
  switch (kind) {
    case 'bool':
      return TRUE.has(value) || FALSE.has(value)
    case 'int':
      return /^[+-]?(0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]*|0[bB][01_]+|[1-9][0-9_]*)$/.test(value)
    case 'duration':
      return parseGoDuration(value) !== undefined
    case 'string':
      return true
  }
}

/** Plans `leet <args>`: a summary nexus prints, or a call for the original core. */
export function planLeet(args: readonly string[]): LeetPlan {
  if (args[0] !== 'inspect') return {kind: 'delegate', reason: `leet ${args[0] ?? '(run)'}`}
  const values = new Map<string, string>()
  let i = 1
  for (; i < args.length; i++) {
    const s = args[i]
    if (s.length < 2 || s[0] !== '-') break
    if (s === '--') {
      i++
      break
    }
    const body = s.slice(s[1] === '-' ? 2 : 1)
    if (body === '' || body[0] === '-' || body[0] === '=') return {kind: 'delegate', reason: 'bad flag syntax'}
    const eq = body.indexOf('=')
    const name = eq < 0 ? body : body.slice(0, eq)
    const kind = INSPECT_FLAGS[name]
    if (!kind) return {kind: 'delegate', reason: `flag -${name}`}
    let value: string
    if (eq >= 0) value = body.slice(eq + 1)
    else if (kind === 'bool') value = 'true'
    else if (i + 1 < args.length) value = args[++i]
    else return {kind: 'delegate', reason: `flag -${name} needs an argument`}
    if (!validValue(kind, value)) return {kind: 'delegate', reason: `invalid value for -${name}`}
    values.set(name, value)
  }
  const rest = args.slice(i)
  if (rest.length > 1) return {kind: 'delegate', reason: 'unexpected argument', usageError: `unexpected argument ${goQuote(rest[1])}`}
  const bool = (name: string) => TRUE.has(values.get(name) ?? 'false')
  const options: InspectOptions = {
    summary: bool('summary'),
    json: bool('json'),
    follow: bool('follow'),
    idleTimeoutS: parseGoDuration(values.get('idle-timeout') ?? '10m')!,
    runFile: values.get('run-file') ?? '',
    wandbDir: rest[0] ?? '',
  }
  const problem = validateInspect(options)
  if (problem) return {kind: 'delegate', reason: problem, usageError: problem}
  if (!options.summary) return {kind: 'delegate', reason: 'records mode'}
  return {kind: 'summary', options}
}

/** Go's checks of `leet inspect` options, in its order and words; undefined when they pass. */
export function validateInspect(o: InspectOptions): string | undefined {
  if (o.summary && o.follow) return '--summary cannot be used with --follow'
  if (o.idleTimeoutS < 0) return '--idle-timeout must be >= 0'
  if (o.wandbDir === '' && o.runFile === '') return 'wandb directory path or --run-file required'
  return undefined
}
