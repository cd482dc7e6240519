/**
 * The run config and run summary as leet rebuilds them from a .wandb file: trees of decoded values
 * with Go wandb-core's update rules (runconfig.ApplyChangeRecord, runsummary's explicit updates).
 */
import type {ConfigItem, ConfigRecord, SummaryItem, SummaryRecord} from '../proto.ts'
import {PathTree, type TreePath} from '../runstate/path-tree.ts'
import {decodeGoJson, type GoObject, type GoValue, isGoObject} from './go-value.ts'

function keyPath(item: ConfigItem | SummaryItem): TreePath {
  return item.nested_key.length > 0 ? item.nested_key : [item.key]
}

function decodeOrSkip(text: string): {value: GoValue} | undefined {
  try {
    return {value: decodeGoJson(text)}
  } catch {
    return undefined // Go reports the error to a no-op handler and skips the item
  }
}

/** Nested Maps from a tree's leaves; `undefined` leaves are left out. */
function nest<T>(tree: PathTree<T>, leafValue: (leaf: T) => GoValue | undefined): GoObject {
  const root: GoObject = new Map()
  for (const [path, leaf] of tree.leaves()) {
    const value = leafValue(leaf)
    if (value === undefined) continue
    let node = root
    for (const label of path.slice(0, -1)) {
      let child = node.get(label)
      if (!isGoObject(child)) {
        child = new Map()
        node.set(label, child)
      }
      node = child
    }
    node.set(path[path.length - 1], value)
  }
  return root
}

/** The run config: objects are merged key by key into the tree, everything else is a leaf. */
export class ConfigTree {
  readonly #tree = new PathTree<GoValue>()

  apply(record: ConfigRecord): void {
    for (const item of record.update) {
      const decoded = decodeOrSkip(item.value_json)
      if (!decoded) continue
      if (isGoObject(decoded.value)) this.#merge(keyPath(item), decoded.value)
      else this.#tree.set(keyPath(item), decoded.value)
    }
    for (const item of record.remove) this.#tree.remove(keyPath(item))
  }

  #merge(prefix: TreePath, object: GoObject): void {
    for (const [key, value] of object) {
      if (isGoObject(value)) this.#merge([...prefix, key], value)
      else this.#tree.set([...prefix, key], value)
    }
  }

  toNested(): GoObject {
    return nest(this.#tree, (v) => v)
  }
}

/** A summary leaf: an explicit value, or none after a removal (or an explicit null). */
interface SummaryLeaf {
  value: GoValue
}

/** The run summary: each update replaces one leaf with its value (objects stay whole). */
export class SummaryTree {
  readonly #tree = new PathTree<SummaryLeaf>()

  apply(record: SummaryRecord): void {
    const removed = record.remove.map(keyPath)
    const isRemoved = (path: TreePath) => removed.some((r) => r.length === path.length && r.every((l, i) => l === path[i]))
    for (const item of record.update) {
      const path = keyPath(item)
      if (isRemoved(path)) continue // a removal in the same record wins
      const decoded = decodeOrSkip(item.value_json)
      if (decoded) this.#tree.getOrMakeLeaf(path, () => ({value: null})).value = decoded.value
    }
    for (const path of removed) {
      const leaf = this.#tree.getLeaf(path)
      if (leaf) leaf.value = null
      else this.#tree.remove(path)
    }
  }

  /** Leaves without a value (removed, or set to null) are left out, as in Go's ToNestedMaps. */
  toNested(): GoObject {
    return nest(this.#tree, (leaf) => (leaf.value === null ? undefined : leaf.value))
  }
}
