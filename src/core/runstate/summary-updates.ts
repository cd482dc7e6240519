/**
 * A batch of summary changes (the `update` and `remove` items of summary records), mergeable so
 * that a queue of records can be sent as one file_stream summary update.
 *
 * Updates are kept as a tree of JSON texts: an item for a → b after one for a replaces the latter,
 * and a remove drops pending updates at and below its path. Applying sets every update, then
 * performs every remove.
 */
import {parseExtendedJson} from '../json/index.ts'
import type {SummaryItem, SummaryRecord} from '../proto.ts'
import {ValueJsonError} from './errors.ts'
import {itemPath} from './history-value.ts'
import {PathTree, type TreePath} from './path-tree.ts'

/** Pending summary changes (see the module comment). */
export class SummaryUpdates {
  #update = new PathTree<string>()
  #remove = new PathTree<true>()

  /** The changes of one summary record (an item's path: `nested_key`, else `[key]`, even an empty key). */
  static fromRecord(record: SummaryRecord): SummaryUpdates {
    const updates = new SummaryUpdates()
    for (const item of record.update) updates.#update.set(keyPath(item), item.value_json)
    for (const item of record.remove) {
      const path = keyPath(item)
      updates.#remove.set(path, true)
      updates.#update.remove(path)
    }
    return updates
  }

  /** True when there is nothing to change. */
  isEmpty(): boolean {
    return this.#update.isEmpty() && this.#remove.isEmpty()
  }

  /** Folds later changes into these, so that applying the result equals applying both in order. */
  merge(later: SummaryUpdates): void {
    for (const [path, json] of later.#update.leaves()) {
      this.#remove.remove(path)
      this.#update.set(path, json)
    }
    for (const [path] of later.#remove.leaves()) {
      this.#remove.set(path, true)
      this.#update.remove(path)
    }
  }

  /** Applies the changes to `summary`; returns the updates whose JSON did not parse (skipped). */
  applyTo(summary: SummaryTarget): ValueJsonError[] {
    const errors: ValueJsonError[] = []
    for (const [path, json] of this.#update.leaves()) {
      try {
        summary.set(path, parseExtendedJson(json))
      } catch (err) {
        errors.push(new ValueJsonError(`runstate: summary value at ${dotted(path)} is not JSON`, {cause: err}))
      }
    }
    for (const [path] of this.#remove.leaves()) summary.remove(path)
    return errors
  }
}

/** What updates are applied to (a RunSummary); structural, so the two files do not import each other. */
export interface SummaryTarget {
  set(path: TreePath, value: unknown): void
  remove(path: TreePath): void
}

function keyPath(item: SummaryItem): TreePath {
  return itemPath(item) ?? [item.key]
}

/** Labels joined with ".", dots inside labels escaped as "\.". */
function dotted(path: TreePath): string {
  return path.map((label) => label.replaceAll('.', '\\.')).join('.')
}
