/**
 * A tree keyed by label paths: the storage behind history rows, summaries and the run config.
 *
 * A path is a non-empty list of labels. A label is used as-is: "a.b" is ONE label, never split.
 * Each node is either a leaf (holding a value, possibly a JSON object that stays opaque) or an inner
 * node with children. Writing a leaf below a leaf turns that leaf into an inner node; writing a leaf
 * where an inner node is discards the subtree. Iteration follows insertion order (Go's map order
 * is random; ours is deterministic).
 */

/** Labels from the root to a node; always at least one label. */
export type TreePath = readonly string[]

type Node<T> = {leaf: true; value: T} | {leaf: false; children: Map<string, Node<T>>}

/** A tree of values addressed by label paths (see the module comment for the overwrite rules). */
export class PathTree<T> {
  #root = new Map<string, Node<T>>()

  /** True when the tree holds no node at all. */
  isEmpty(): boolean {
    return this.#root.size === 0
  }

  /** Removes every node. */
  clear(): void {
    this.#root.clear()
  }

  /** Sets the leaf at `path`, creating inner nodes and replacing leaves or subtrees in the way. */
  set(path: TreePath, value: T): void {
    checkPath(path)
    this.#makeSubtree(path.slice(0, -1)).set(path[path.length - 1], {leaf: true, value})
  }

  /** The value of the leaf at `path`, or undefined when there is no leaf there. */
  getLeaf(path: TreePath): T | undefined {
    const node = this.#node(path)
    return node?.leaf ? node.value : undefined
  }

  /** True when `path` leads to a leaf. */
  hasLeaf(path: TreePath): boolean {
    return this.#node(path)?.leaf === true
  }

  /** True when `path` leads to any node, leaf or inner. */
  hasNode(path: TreePath): boolean {
    return this.#node(path) !== undefined
  }

  /** The leaf value at `path`; when there is none, stores `make()` there first (replacing a subtree). */
  getOrMakeLeaf(path: TreePath, make: () => T): T {
    checkPath(path)
    const parent = this.#makeSubtree(path.slice(0, -1))
    const end = path[path.length - 1]
    const node = parent.get(end)
    if (node?.leaf) return node.value
    const value = make()
    parent.set(end, {leaf: true, value})
    return value
  }

  /** Deletes the node at `path` (leaf or subtree), then every parent left empty by it. */
  remove(path: TreePath): void {
    checkPath(path)
    const chain: Map<string, Node<T>>[] = [this.#root]
    for (const label of path.slice(0, -1)) {
      const node = chain[chain.length - 1].get(label)
      if (!node || node.leaf) return
      chain.push(node.children)
    }
    chain[chain.length - 1].delete(path[path.length - 1])
    for (let depth = chain.length - 1; depth > 0 && chain[depth].size === 0; depth--) {
      chain[depth - 1].delete(path[depth - 1])
    }
  }

  /** Every leaf with its full path, depth-first in insertion order. */
  *leaves(): IterableIterator<[TreePath, T]> {
    yield* walk(this.#root, [])
  }

  /**
   * The tree as nested plain objects; `mapLeaf` converts each leaf value, and leaves for which it
   * returns undefined are left out (their emptied parents too).
   */
  toNested(mapLeaf: (value: T) => unknown = (v) => v): Record<string, unknown> {
    return nest(this.#root, mapLeaf)
  }

  #node(path: TreePath): Node<T> | undefined {
    let children = this.#root
    for (let i = 0; i < path.length - 1; i++) {
      const node = children.get(path[i])
      if (!node || node.leaf) return undefined
      children = node.children
    }
    return path.length === 0 ? undefined : children.get(path[path.length - 1])
  }

  #makeSubtree(prefix: readonly string[]): Map<string, Node<T>> {
    let children = this.#root
    for (const label of prefix) {
      let node = children.get(label)
      if (!node || node.leaf) {
        node = {leaf: false, children: new Map()}
        children.set(label, node)
      }
      children = node.children
    }
    return children
  }
}

/**
 * Deep-merges a plain JSON object into the tree under `prefix` (the root when empty): each nested
 * object becomes inner nodes, everything else (arrays, scalars, null) a leaf; existing siblings stay
 * and an empty object adds nothing.
 */
export function setSubtree(tree: PathTree<unknown>, prefix: TreePath, subtree: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(subtree)) {
    const path = [...prefix, key]
    if (isJsonObject(value)) setSubtree(tree, path, value)
    else tree.set(path, value)
  }
}

/** True for a JSON object (not null, not an array): the values that history and config flatten. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Assigns an own enumerable property, safely for the key "__proto__". */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, {value, enumerable: true, writable: true, configurable: true})
  else target[key] = value
}

function checkPath(path: TreePath): void {
  if (path.length === 0) throw new RangeError('runstate: a tree path needs at least one label')
}

function* walk<T>(children: Map<string, Node<T>>, prefix: string[]): IterableIterator<[TreePath, T]> {
  for (const [label, node] of children) {
    const path = [...prefix, label]
    if (node.leaf) yield [path, node.value]
    else yield* walk(node.children, path)
  }
}

function nest<T>(children: Map<string, Node<T>>, mapLeaf: (value: T) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [label, node] of children) {
    if (node.leaf) {
      const value = mapLeaf(node.value)
      if (value !== undefined) setOwn(out, label, value)
    } else {
      const sub = nest(node.children, mapLeaf)
      if (Object.keys(sub).length > 0) setOwn(out, label, sub)
    }
  }
  return out
}
