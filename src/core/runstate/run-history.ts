/**
 * One step of run history: the values logged for that step, as a tree of leaves.
 *
 * Items are merged in arrival order (a later value for the same path wins). JSON object values are
 * flattened into nested leaves, `{"a": {"b": 1}}` becoming the leaf a → b; an empty object adds
 * nothing; arrays, strings, numbers, booleans and null are leaves.
 */
import {stringifyExtendedJson} from '../json/index.ts'
import {build, HistoryItem, HistoryRecord, HistoryStep} from '../proto.ts'
import {HistoryItemError} from './errors.ts'
import {historyItemValue, isNumeric, itemPath, toDouble, type NumericValue} from './history-value.ts'
import {isJsonObject, PathTree, type TreePath} from './path-tree.ts'

/** The values of one history step (see the module comment for the merge rules). */
export class RunHistory {
  #values = new PathTree<unknown>()

  /** Builds a step from the items of a HistoryRecord; items that cannot be read are skipped and passed to `onError`. */
  static fromItems(items: readonly HistoryItem[], onError?: (err: HistoryItemError) => void): RunHistory {
    const history = new RunHistory()
    for (const item of items) {
      const err = history.setFromItem(item)
      if (err) onError?.(err)
    }
    return history
  }

  /**
   * Adds one item: path `nested_key` (or `[key]`), value from the typed oneof or `value_json`.
   * Returns a HistoryItemError, and changes nothing, when the item has no key or an unreadable value.
   */
  setFromItem(item: HistoryItem): HistoryItemError | undefined {
    const path = itemPath(item)
    if (!path) return new HistoryItemError('runstate: history item has an empty key')
    let value: unknown
    try {
      value = historyItemValue(item)
    } catch (err) {
      return err as HistoryItemError
    }
    this.setValue(path, value)
    return undefined
  }

  /** Sets `path` to a decoded JSON value, flattening objects into nested leaves. */
  setValue(path: TreePath, value: unknown): void {
    if (isJsonObject(value)) {
      for (const [key, sub] of Object.entries(value)) this.setValue([...path, key], sub)
    } else {
      this.#values.set(path, value)
    }
  }

  /** Sets a numeric leaf (`_step`, `_runtime`, inserted step metrics). */
  setNumber(path: TreePath, value: NumericValue): void {
    this.#values.set(path, value)
  }

  /** True when no value has been logged. */
  isEmpty(): boolean {
    return this.#values.isEmpty()
  }

  /** True when `path` holds a value (a leaf). */
  contains(path: TreePath): boolean {
    return this.#values.hasLeaf(path)
  }

  /** The value at `path` as a double, or undefined when it is missing or not a number. */
  getNumber(path: TreePath): number | undefined {
    return toDouble(this.#values.getLeaf(path))
  }

  /** The raw value at `path`, or undefined when there is none. */
  get(path: TreePath): unknown {
    return this.#values.getLeaf(path)
  }

  /** Every leaf with its full path, in insertion order. */
  leaves(): IterableIterator<[TreePath, unknown]> {
    return this.#values.leaves()
  }

  /** Every numeric leaf, as a double. */
  *numbers(): IterableIterator<[TreePath, number]> {
    for (const [path, value] of this.#values.leaves()) {
      if (isNumeric(value)) yield [path, Number(value)]
    }
  }

  /** One HistoryItem per leaf: `nested_key` is the full path (even for top-level keys), `value_json` the value. */
  toHistoryItems(): HistoryItem[] {
    const items: HistoryItem[] = []
    for (const [path, value] of this.#values.leaves()) {
      items.push(build(HistoryItem, {nested_key: [...path], value_json: stringifyExtendedJson(value)}))
    }
    return items
  }

  /** The HistoryRecord of this step; `step` is set only when given (non-shared runs). */
  toRecord(step?: bigint): HistoryRecord {
    const record = build(HistoryRecord, {item: this.toHistoryItems()})
    if (step !== undefined) record.step = HistoryStep.create({num: step})
    return record
  }

  /** The nested values as plain objects (leaves rebuilt into a JSON object). */
  toNested(): Record<string, unknown> {
    return this.#values.toNested()
  }

  /** The wandb-history.jsonl / file_stream line: the nested object in extended JSON. */
  toFileStreamLine(): string {
    return stringifyExtendedJson(this.toNested())
  }
}

/**
 * The file_stream history line of a derived HistoryRecord (as read from the Handler's output or a
 * replayed .wandb file): the items rebuilt into one nested extended-JSON object. Unreadable items
 * are left out and passed to `onError`.
 */
export function historyRecordToJsonLine(record: HistoryRecord, onError?: (err: HistoryItemError) => void): string {
  return flatJsonLine(record.item) ?? RunHistory.fromItems(record.item, onError).toFileStreamLine()
}

/**
 * The same line for the common shape, without building a tree: every item a top-level key, no
 * key twice, no value an object (which the tree would flatten and re-nest). Undefined for any
 * other shape or an unreadable item, which then take the tree's rules.
 */
function flatJsonLine(items: readonly HistoryItem[]): string | undefined {
  const seen = new Set<string>()
  const parts: string[] = []
  for (const item of items) {
    const path = itemPath(item)
    if (!path || path.length !== 1 || seen.has(path[0])) return undefined
    let value: unknown
    try {
      value = historyItemValue(item)
    } catch {
      return undefined
    }
    if (isJsonObject(value)) return undefined
    seen.add(path[0])
    parts.push(`${JSON.stringify(path[0])}:${stringifyExtendedJson(value)}`)
  }
  return `{${parts.join(',')}}`
}
