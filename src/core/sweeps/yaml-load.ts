/**
 * `yaml.safe_load` of PyYAML 6 (what wandb reads a sweep file with), followed by the CLI's
 * `json.loads(json.dumps(config))`. The `yaml` package parses the syntax with its failsafe schema
 * (every scalar a string); this file resolves plain scalars with PyYAML's YAML 1.1 implicit
 * resolvers and constructs them as its SafeConstructor does, so `1e-5` stays a string, `yes` is
 * true, `1.0` a float, `0o7`… exactly as in Python. Dict keys become strings as json.dumps
 * writes them. Anything PyYAML or json.dumps would fail on is a YamlLoadError.
 */
import type {Document, Node, Scalar} from 'yaml'

type YamlModule = typeof import('yaml')
let yamlModule: YamlModule | undefined
/** The `yaml` package, loaded on first use: every nexus start (the service too) would pay for it. */
function yaml(): YamlModule {
  yamlModule ??= require('yaml') as YamlModule
  return yamlModule
}
import {PyFloat, jsonKeyOf, type PyDict, type PyValue} from './py-value.ts'

/** The document is not YAML PyYAML's safe_load accepts, or holds values JSON cannot carry. */
export class YamlLoadError extends Error {
  override name = 'YamlLoadError'
}

const T = 'tag:yaml.org,2002:'

/** PyYAML's implicit resolvers (yaml/resolver.py), in registration order, with their first characters. */
const RESOLVERS: readonly {tag: string; re: RegExp; first: string}[] = [
  {tag: 'bool', re: /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/, first: 'yYnNtTfFoO'},
  {
    tag: 'float',
    re: /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
    first: '-+0123456789.',
  },
  {tag: 'int', re: /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/, first: '-+0123456789'},
  {tag: 'merge', re: /^(?:<<)$/, first: '<'},
  {tag: 'null', re: /^(?:~|null|Null|NULL|)$/, first: '~nN'},
  {
    tag: 'timestamp',
    re: /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
    first: '0123456789',
  },
  {tag: 'value', re: /^(?:=)$/, first: '='},
  {tag: 'yaml', re: /^(?:!|&|\*)$/, first: '!&*'},
]

/**
 * The tag PyYAML's resolver gives a plain scalar (`str` when nothing matches). Python's `$` also
 * matches before one final newline, which only matters for strings that cannot be plain anyway.
 */
export function resolvePlain(value: string): string {
  const candidates = value === '' ? RESOLVERS.filter((r) => r.tag === 'null') : RESOLVERS.filter((r) => r.first.includes(value[0]))
  const probe = value.endsWith('\n') ? value.slice(0, -1) : value
  for (const r of candidates) if (r.re.test(probe)) return r.tag
  return 'str'
}

/** What makes two dict keys one key in Python (1 == 1.0 == True); undefined for NaN, never equal. */
function keyIdentity(key: null | boolean | bigint | PyFloat | string): string | undefined {
  if (typeof key === 'string') return `s${key}`
  if (key === null) return 'none'
  if (typeof key === 'boolean') return key ? 'i1' : 'i0'
  if (typeof key === 'bigint') return `i${key}`
  if (Number.isNaN(key.value)) return undefined
  if (Number.isInteger(key.value)) return `i${BigInt(key.value)}`
  return `f${key.value}`
}

/** PyYAML's construct_yaml_int. */
function constructInt(raw: string): bigint {
  let v = raw.replaceAll('_', '')
  let sign = 1n
  if (v[0] === '-') sign = -1n
  if (v[0] === '+' || v[0] === '-') v = v.slice(1)
  try {
    if (v === '0') return 0n
    if (v.startsWith('0b')) return sign * BigInt(`0b${v.slice(2)}`)
    if (v.startsWith('0x')) return sign * BigInt(`0x${v.slice(2)}`)
    if (v[0] === '0') return sign * BigInt(`0o${v}`)
    if (v.includes(':')) return sign * v.split(':').reduce((acc, part) => acc * 60n + BigInt(part), 0n)
    if (!/^[0-9]+$/.test(v)) throw new Error('not an int')
    return sign * BigInt(v)
  } catch {
    throw new YamlLoadError(`invalid literal for int(): ${JSON.stringify(raw)}`)
  }
}

/** PyYAML's construct_yaml_float. */
function constructFloat(raw: string): PyFloat {
  let v = raw.replaceAll('_', '').toLowerCase()
  let sign = 1
  if (v[0] === '-') sign = -1
  if (v[0] === '+' || v[0] === '-') v = v.slice(1)
  if (v === '.inf') return new PyFloat(sign * Number.POSITIVE_INFINITY)
  if (v === '.nan') return new PyFloat(Number.NaN)
  const float = (s: string) => {
    if (!/^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[-+]?[0-9]+)?$/.test(s)) throw new YamlLoadError(`could not convert string to float: ${JSON.stringify(raw)}`)
    return Number(s)
  }
  if (v.includes(':')) return new PyFloat(sign * v.split(':').reduce((acc, part) => acc * 60 + float(part), 0))
  return new PyFloat(sign * float(v))
}

const BOOLS: Readonly<Record<string, boolean>> = {yes: true, no: false, true: true, false: false, on: true, off: false}

/** Constructs a scalar whose tag is known (implicit or explicit). */
function constructScalar(tag: string, raw: string): PyValue {
  switch (tag) {
    case 'str':
      return raw
    case 'null':
      return null
    case 'bool': {
      const b = BOOLS[raw.toLowerCase()]
      if (b === undefined) throw new YamlLoadError(`invalid boolean ${JSON.stringify(raw)}`)
      return b
    }
    case 'int':
      return constructInt(raw)
    case 'float':
      return constructFloat(raw)
    case 'timestamp':
      throw new YamlLoadError(`${JSON.stringify(raw)} is a date, which a sweep config cannot hold (Object of type date is not JSON serializable); quote it to make it a string`)
    default:
      throw new YamlLoadError(`could not determine a constructor for the tag 'tag:yaml.org,2002:${tag}' (value ${JSON.stringify(raw)})`)
  }
}

/**
 * The short name of an explicit `tag:yaml.org,2002:x` tag; '' for none and for the non-specific
 * `!` (PyYAML then resolves the scalar as if plain, even a quoted one); undefined for a foreign tag.
 */
function explicitTag(tag: string | undefined): string | undefined {
  if (tag === undefined || tag === '!') return ''
  if (tag.startsWith(T)) return tag.slice(T.length)
  return undefined
}

class Loader {
  readonly #doc: Document
  readonly #done = new Map<Node, PyValue>()
  readonly #active = new Set<Node>()

  constructor(doc: Document) {
    this.#doc = doc
  }

  value(node: unknown): PyValue {
    const n = this.#deref(node)
    if (n === null) return null
    const cached = this.#done.get(n)
    if (cached !== undefined) return cached
    if (this.#active.has(n)) throw new YamlLoadError('the document refers to itself through an alias (Circular reference detected)')
    this.#active.add(n)
    try {
      const v = this.#construct(n)
      this.#done.set(n, v)
      return v
    } finally {
      this.#active.delete(n)
    }
  }

  #deref(node: unknown): Node | null {
    if (node === null || node === undefined) return null
    if (yaml().isAlias(node)) {
      const target = node.resolve(this.#doc)
      if (!target) throw new YamlLoadError(`found undefined alias ${node.source}`)
      return target as Node
    }
    return node as Node
  }

  #construct(n: Node): PyValue {
    const tag = explicitTag(n.tag)
    if (yaml().isScalar(n)) return this.#scalar(n, tag)
    if (yaml().isSeq(n)) {
      if (tag === 'omap' || tag === 'pairs') return this.#pairList(n.items)
      if (tag !== '' && tag !== 'seq') throw new YamlLoadError(`could not determine a constructor for the tag ${n.tag} on a sequence`)
      return n.items.map((item) => this.value(item))
    }
    if (yaml().isMap(n)) {
      if (tag !== '' && tag !== 'map') throw new YamlLoadError(`could not determine a constructor for the tag ${n.tag} on a mapping`)
      return this.#mapping(n)
    }
    throw new YamlLoadError('unsupported YAML node')
  }

  #scalar(n: Scalar, tag: string | undefined): PyValue {
    const raw = n.value === null || n.value === undefined ? '' : String(n.value)
    if (tag === undefined) throw new YamlLoadError(`could not determine a constructor for the tag ${n.tag}`)
    if (tag !== '') return constructScalar(tag, raw)
    const plain = n.type === 'PLAIN' || n.type === undefined || n.tag === '!'
    return constructScalar(plain ? resolvePlain(raw) : 'str', raw)
  }

  /** The key's tag as PyYAML's flatten_mapping sees it. */
  #keyTag(keyNode: unknown): string {
    const k = this.#deref(keyNode)
    if (!k || !yaml().isScalar(k)) return ''
    const tag = explicitTag(k.tag)
    if (tag) return tag
    return k.type === 'PLAIN' || k.type === undefined || k.tag === '!' ? resolvePlain(String(k.value ?? '')) : 'str'
  }

  /** PyYAML's flatten_mapping: the (key, value) node pairs with `<<` merges expanded in front. */
  #pairs(map: Node): [unknown, unknown][] {
    if (!yaml().isMap(map)) throw new YamlLoadError('expected a mapping for merging')
    const merged: [unknown, unknown][] = []
    const own: [unknown, unknown][] = []
    for (const item of map.items) {
      if (!yaml().isPair(item)) continue
      if (this.#keyTag(item.key) !== 'merge') {
        own.push([item.key, item.value])
        continue
      }
      const v = this.#deref(item.value)
      if (v && yaml().isMap(v)) merged.push(...this.#pairs(v))
      else if (v && yaml().isSeq(v)) {
        const subs = v.items.map((s) => {
          const sub = this.#deref(s)
          if (!sub || !yaml().isMap(sub)) throw new YamlLoadError('expected a mapping for merging')
          return this.#pairs(sub)
        })
        for (const sub of subs.reverse()) merged.push(...sub)
      } else throw new YamlLoadError('expected a mapping or list of mappings for merging')
    }
    return [...merged, ...own]
  }

  /**
   * A dict as Python builds it: keys equal in Python are one key (1, 1.0 and True; None and ~),
   * which keeps the first key's spelling and the last value; then the keys as json.dumps writes them.
   */
  #mapping(n: Node): PyDict {
    const entries = new Map<string, [string, PyValue]>()
    let nan = 0
    for (const [keyNode, valueNode] of this.#pairs(n)) {
      const key = this.#keyTag(keyNode) === 'value' ? '=' : this.value(keyNode)
      if (Array.isArray(key) || key instanceof Map) throw new YamlLoadError('found unhashable key (a list or mapping used as a mapping key)')
      const identity = keyIdentity(key) ?? `nan${nan++}`
      const value = this.value(valueNode)
      const seen = entries.get(identity)
      entries.set(identity, [seen ? seen[0] : jsonKeyOf(key), value])
    }
    // distinct Python keys can still spell the same JSON key ("1" and 1): json.loads keeps the last value
    const out: PyDict = new Map()
    for (const [k, v] of entries.values()) out.set(k, v)
    return out
  }

  /** !!omap / !!pairs: a sequence of one-pair mappings, as a list of [key, value] (tuples after JSON). */
  #pairList(items: unknown[]): PyValue[] {
    return items.map((item) => {
      const m = this.#deref(item)
      if (!m || !yaml().isMap(m) || m.items.length !== 1 || !yaml().isPair(m.items[0])) throw new YamlLoadError('expected a single mapping item in an ordered map or pairs')
      return [this.value(m.items[0].key), this.value(m.items[0].value)]
    })
  }
}

/**
 * Parses `text` as PyYAML's `safe_load` would, with dict keys as json.dumps writes them. Returns
 * null for an empty document. Throws YamlLoadError (message without position for constructor
 * problems; the `yaml` package's message, with line and column, for syntax errors).
 */
export function loadPyYaml(text: string): PyValue {
  const doc = yaml().parseDocument(text, {schema: 'failsafe', version: '1.1', uniqueKeys: false, merge: false, prettyErrors: true, strict: false})
  if (doc.errors.length > 0) throw new YamlLoadError(doc.errors.map((e) => e.message.trim()).join('\n'))
  return new Loader(doc).value(doc.contents)
}
