/**
 * Config trees as Launch filters them for job inputs (wandb-core launch.Config): the tree is
 * flattened to its leaves (an empty map is no leaf, so it disappears), leaves under an exclude
 * prefix are dropped, then, if any include prefixes are given, only leaves under one of them are
 * kept, and the leaves are rebuilt into a tree. Exclusion wins over inclusion.
 */
import {readFileSync} from 'node:fs'
import {extname} from 'node:path'
import {parse as parseYaml} from 'yaml'
import {JobInputError} from './errors.ts'

/** A key path into a config tree: ["model", "layers"]. */
export type ConfigPath = readonly string[]

export type ConfigTree = Record<string, unknown>

const isTree = (v: unknown): v is ConfigTree => typeof v === 'object' && v !== null && !Array.isArray(v)

function leaves(tree: ConfigTree, prefix: string[], out: Array<[string[], unknown]>): void {
  for (const [key, value] of Object.entries(tree)) {
    const path = [...prefix, key]
    if (isTree(value)) leaves(value, path, out)
    else out.push([path, value])
  }
}

const hasPrefix = (path: readonly string[], prefix: ConfigPath) => prefix.length <= path.length && prefix.every((p, i) => path[i] === p)

/** The subtree of `tree` selected by `include` (all when empty) minus `exclude`. A new tree; `tree` is not changed. */
export function filterTree(tree: ConfigTree, include: readonly ConfigPath[], exclude: readonly ConfigPath[]): ConfigTree {
  const flat: Array<[string[], unknown]> = []
  leaves(tree, [], flat)
  const kept = flat.filter(([path]) => !exclude.some((p) => hasPrefix(path, p)) && (include.length === 0 || include.some((p) => hasPrefix(path, p))))
  const out: ConfigTree = {}
  for (const [path, value] of kept) {
    let node = out
    for (const key of path.slice(0, -1)) {
      if (!isTree(node[key])) node[key] = {}
      node = node[key] as ConfigTree
    }
    node[path[path.length - 1]] = value
  }
  return out
}

/**
 * Reads a config file the way Launch does: JSON for `.json`, YAML for `.yaml` / `.yml`; the top
 * level must be a map. Throws JobInputError for another extension, an unreadable file or bad text.
 */
export function readConfigFile(path: string): ConfigTree {
  const ext = extname(path)
  if (ext !== '.json' && ext !== '.yaml' && ext !== '.yml') throw new JobInputError(`jobs: config file ${path}: unknown file extension ${JSON.stringify(ext)}`)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (cause) {
    throw new JobInputError(`jobs: cannot read config file ${path}`, {cause})
  }
  let tree: unknown
  try {
    tree = ext === '.json' ? JSON.parse(text) : (parseYaml(text) ?? {})
  } catch (cause) {
    throw new JobInputError(`jobs: config file ${path} is not valid ${ext === '.json' ? 'JSON' : 'YAML'}`, {cause})
  }
  if (!isTree(tree)) throw new JobInputError(`jobs: config file ${path} does not hold a map at the top level`)
  return tree
}
