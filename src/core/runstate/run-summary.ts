/**
 * The run summary: a tree of per-metric summaries (MetricSummary), fed by flushed history rows,
 * metric definitions and explicit summary records.
 *
 * Two copies exist in a stream: the Handler's (answers get_summary, emits the derived summary
 * records) and the Sender's (built only from the summary records it receives, possibly replayed
 * from a .wandb file, and serialized as wandb-summary.json / the file_stream summary line).
 */
import {stringifyExtendedJson} from '../json/index.ts'
import {build, SummaryItem, type SummaryRecord} from '../proto.ts'
import type {ValueJsonError} from './errors.ts'
import {MetricSummary, type SummaryFlags} from './metric-summary.ts'
import {PathTree, type TreePath} from './path-tree.ts'
import type {RunHistory} from './run-history.ts'
import {SummaryUpdates} from './summary-updates.ts'

/** Summaries of all of a run's metrics (see the module comment). */
export class RunSummary {
  #summaries = new PathTree<MetricSummary>()

  /** An explicit value for `path` (a summary record item): shown as-is, aggregates reset. Objects stay one value. */
  set(path: TreePath, value: unknown): void {
    this.#summary(path).setExplicit(value)
  }

  /** Removes `path`: a metric's value is forgotten (its definition stays); a subtree is deleted. */
  remove(path: TreePath): void {
    const leaf = this.#summaries.getLeaf(path)
    if (leaf) leaf.clear()
    else this.#summaries.remove(path)
  }

  /** Sets which aggregates `path` shows (from a metric definition); creates the metric if needed. */
  configureMetric(path: TreePath, noSummary: boolean, track: SummaryFlags): void {
    const summary = this.#summary(path)
    summary.noSummary = noSummary
    summary.track = track
  }

  /** Feeds every value of a flushed history row; returns the paths that changed (all of the row's leaves). */
  updateFromHistory(history: RunHistory): TreePath[] {
    const changed: TreePath[] = []
    for (const [path, value] of history.leaves()) {
      this.#summary(path).update(value)
      changed.push(path)
    }
    return changed
  }

  /** Items of a derived summary record for `paths`: `nested_key` + `value_json`, paths showing nothing left out. */
  toUpdateItems(paths: readonly TreePath[]): SummaryItem[] {
    const items: SummaryItem[] = []
    for (const path of paths) {
      const value = this.#summaries.getLeaf(path)?.shownValue()
      if (value === undefined) continue
      items.push(build(SummaryItem, {nested_key: [...path], value_json: stringifyExtendedJson(value)}))
    }
    return items
  }

  /**
   * Applies a summary record (updates, then removes, as Go's Updates.Apply does). Returns the
   * items whose value_json did not parse; the others are applied.
   */
  applyRecord(record: SummaryRecord): ValueJsonError[] {
    return SummaryUpdates.fromRecord(record).applyTo(this)
  }

  /** The shown value at `path`, or undefined when it shows nothing. */
  get(path: TreePath): unknown {
    return this.#summaries.getLeaf(path)?.shownValue()
  }

  /** All shown values for get_summary: `key` for one-label paths, `nested_key` for deeper ones. */
  toSummaryItems(): SummaryItem[] {
    const items: SummaryItem[] = []
    for (const [path, summary] of this.#summaries.leaves()) {
      const value = summary.shownValue()
      if (value === undefined) continue
      const valueJson = stringifyExtendedJson(value)
      items.push(path.length === 1 ? SummaryItem.create({key: path[0], value_json: valueJson}) : SummaryItem.create({nested_key: [...path], value_json: valueJson}))
    }
    return items
  }

  /** The shown values as one nested object (what wandb-summary.json holds). */
  toNested(): Record<string, unknown> {
    return this.#summaries.toNested((summary) => summary.shownValue())
  }

  /** wandb-summary.json / the file_stream summary line: the nested object in extended JSON. */
  serialize(): string {
    return stringifyExtendedJson(this.toNested())
  }

  #summary(path: TreePath): MetricSummary {
    return this.#summaries.getOrMakeLeaf(path, () => new MetricSummary())
  }
}
