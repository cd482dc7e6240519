/**
 * The run config as core keeps it: a tree of values built from ConfigRecords, plus the `_wandb`
 * entries core itself maintains.
 *
 * - An update item (path `nested_key` or `[key]`, value extended JSON) with an object value is
 *   deep-merged: each nested leaf is set, existing siblings stay, `{}` adds nothing. Any other
 *   value replaces whatever was at the path, a whole subtree included.
 * - A remove item deletes the path and prunes parents it leaves empty.
 * - Serialized per top-level key as `{"<key>": {"value": <subtree>}}` (UpsertBucket, run_result)
 *   and the same shape as YAML for config.yaml (keys sorted, no wandb_version line).
 */
import {parseExtendedJson, stringifyExtendedJson} from '../json/index.ts'
import {ConfigItem, TelemetryRecord, type ConfigRecord} from '../proto.ts'
import {toGoStyleYaml} from './config-yaml.ts'
import {ValueJsonError} from './errors.ts'
import {itemPath} from './history-value.ts'
import {isJsonObject, PathTree, setOwn, setSubtree, type TreePath} from './path-tree.ts'
import {protoEncodeToDict} from './proto-dict.ts'

/** What core writes under `_wandb` (see RunConfig.addInternalData). */
export interface InternalConfigData {
  /** The merged telemetry; `t` is its field-number encoding. Absent: `t` is `{}`. */
  telemetry?: TelemetryRecord
  /** `cli_version`; defaults to the telemetry's cli_version. Written only when non-empty. */
  cliVersion?: string
  /** `python_version`; defaults to the telemetry's python_version. Written only when non-empty. */
  pythonVersion?: string
  /** `m`: the encoded metric definitions (MetricHandler.toRunConfigData), `[]` when none. */
  metrics: unknown[]
  /** `e`: `{<writer id>: <environment JSON>}`; written only when it has entries. */
  environment?: Record<string, unknown>
}

/** A run's config (see the module comment). */
export class RunConfig {
  #tree = new PathTree<unknown>()

  /** A config holding the given nested values (objects become subtrees). */
  static fromNested(values: Record<string, unknown>): RunConfig {
    const config = new RunConfig()
    setSubtree(config.#tree, [], values)
    return config
  }

  /** Applies a ConfigRecord's updates then removes; returns the updates whose JSON did not parse (skipped). */
  applyChangeRecord(record: ConfigRecord): ValueJsonError[] {
    const errors: ValueJsonError[] = []
    for (const item of record.update) {
      let value: unknown
      try {
        value = parseExtendedJson(item.value_json)
      } catch (err) {
        errors.push(new ValueJsonError(`runstate: config value for ${JSON.stringify(item.key)} is not JSON`, {cause: err}))
        continue
      }
      this.setValue(keyPath(item), value)
    }
    for (const item of record.remove) this.#tree.remove(keyPath(item))
    return errors
  }

  /** Sets `path` to a value: objects are deep-merged, anything else replaces the node. */
  setValue(path: TreePath, value: unknown): void {
    if (isJsonObject(value)) setSubtree(this.#tree, path, value)
    else this.#tree.set(path, value)
  }

  /** Deletes `path` and prunes emptied parents. */
  remove(path: TreePath): void {
    this.#tree.remove(path)
  }

  /** Writes core's `_wandb` keys: cli_version, python_version, t, m and e (see InternalConfigData). */
  addInternalData(data: InternalConfigData): void {
    const cliVersion = data.cliVersion ?? data.telemetry?.cli_version ?? ''
    const pythonVersion = data.pythonVersion ?? data.telemetry?.python_version ?? ''
    if (cliVersion !== '') this.#tree.set(['_wandb', 'cli_version'], cliVersion)
    if (pythonVersion !== '') this.#tree.set(['_wandb', 'python_version'], pythonVersion)
    this.#tree.set(['_wandb', 't'], data.telemetry ? protoEncodeToDict(TelemetryRecord, data.telemetry) : {})
    this.#tree.set(['_wandb', 'm'], data.metrics)
    if (data.environment && Object.keys(data.environment).length > 0) this.#tree.set(['_wandb', 'e'], data.environment)
  }

  /**
   * Adds what a resumed run's previous config has and this one lacks: top-level keys not set here,
   * and the entries of `_wandb.viz`, `_wandb.visualize` and `_wandb["mask/class_labels"]` not set here.
   */
  mergeResumedConfig(previous: Record<string, unknown>): void {
    this.#addMissing(previous, [])
    const wandb = previous._wandb
    if (!isJsonObject(wandb)) return
    for (const key of ['viz', 'visualize', 'mask/class_labels']) {
      const sub = wandb[key]
      if (isJsonObject(sub)) this.#addMissing(sub, ['_wandb', key])
    }
  }

  /** The value at `path` (a leaf value or a nested object), or undefined. */
  get(path: TreePath): unknown {
    if (this.#tree.hasLeaf(path)) return this.#tree.getLeaf(path)
    let node: unknown = this.toNested()
    for (const label of path) node = isJsonObject(node) && Object.hasOwn(node, label) ? node[label] : undefined
    return node
  }

  /** The plain nested values. */
  toNested(): Record<string, unknown> {
    return this.#tree.toNested()
  }

  /** `{"<top key>": {"value": <subtree>}, …}`: the shape UpsertBucket and run_result use. */
  toWrappedJson(): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(this.toNested())) setOwn(out, key, {value})
    return out
  }

  /** One ConfigItem per top-level key, value_json `{"value": <subtree>}` (run_result's config). */
  toWrappedItems(): ConfigItem[] {
    return Object.entries(this.toWrappedJson()).map(([key, wrapped]) => ConfigItem.create({key, value_json: stringifyExtendedJson(wrapped)}))
  }

  /** config.yaml: the wrapped values as YAML in yaml.v3's style (keys sorted; see config-yaml.ts). */
  toYaml(): string {
    return toGoStyleYaml(this.toWrappedJson())
  }

  #addMissing(source: Record<string, unknown>, prefix: string[]): void {
    for (const [key, value] of Object.entries(source)) {
      const path = [...prefix, key]
      if (this.#tree.hasNode(path)) continue
      this.setValue(path, value)
    }
  }
}

function keyPath(item: ConfigItem): TreePath {
  return itemPath(item) ?? [item.key]
}
