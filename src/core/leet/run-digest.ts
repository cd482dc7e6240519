/**
 * What `leet inspect --summary` reports about a run, gathered record by record: the run record's
 * facts, config and summary trees, the highest history step, the console lines and the exit record.
 */
import type {HistoryItem, HistoryRecord, OutputRawRecord, Record as WandbRecord, RunExitRecord, RunRecord} from '../proto.ts'
import {OutputRawRecord_OutputType} from '../proto.ts'
import {ConsoleTail} from './console-tail.ts'
import {type Instant, ZERO_TIME} from './go-time.ts'
import {ConfigTree, SummaryTree} from './value-trees.ts'

export interface RunInfo {
  id: string
  entity: string
  project: string
  displayName: string
  notes: string
  tags: string[]
  /** Undefined when the run record has no start time. */
  startTime?: Instant
}

const NO_RUN: RunInfo = {id: '', entity: '', project: '', displayName: '', notes: '', tags: []}
const INT64 = /^[+-]?\d+$/
const INT64_MAX = 2n ** 63n - 1n

/** strconv.ParseInt(strings.TrimSpace(s), 10, 64), or undefined. */
function parseInt64(text: string): bigint | undefined {
  const s = text.trim()
  if (!INT64.test(s)) return undefined
  const n = BigInt(s)
  return n > INT64_MAX || n < -INT64_MAX - 1n ? undefined : n
}

function itemStep(item: HistoryItem): bigint | undefined {
  switch (item.value.oneofKind) {
    case 'integer':
      return item.value.integer
    case 'json':
      return parseInt64(item.value.json)
    case undefined:
      return parseInt64(item.value_json)
    default:
      return undefined
  }
}

/** The history record's step, else its "_step" item's integer value. */
export function historyStep(history: HistoryRecord): bigint | undefined {
  if (history.step) return history.step.num
  for (const item of history.item) {
    const key = item.nested_key.length > 0 ? item.nested_key.join('.') : item.key
    if (key !== '_step') continue
    const step = itemStep(item)
    if (step !== undefined) return step
  }
  return undefined
}

export class RunDigest {
  run: RunInfo = NO_RUN
  readonly config = new ConfigTree()
  readonly summary = new SummaryTree()
  readonly console = new ConsoleTail()
  exit: RunExitRecord | undefined
  /** The highest history step, or undefined without history. */
  lastStep: bigint | undefined

  constructor(
    readonly path: string,
    /** The file's modification time. */
    readonly lastWrite: Instant,
  ) {}

  apply(record: WandbRecord): void {
    const r = record.record_type
    switch (r.oneofKind) {
      case 'run':
        this.#applyRun(r.run)
        break
      case 'config':
        this.config.apply(r.config)
        break
      case 'summary':
        this.summary.apply(r.summary)
        break
      case 'history': {
        const step = historyStep(r.history)
        if (step !== undefined && (this.lastStep === undefined || step > this.lastStep)) this.lastStep = step
        break
      }
      case 'output_raw':
        this.#applyOutput(r.output_raw)
        break
      case 'exit':
        this.exit = r.exit
        break
    }
  }

  #applyRun(run: RunRecord): void {
    this.run = {
      id: run.run_id,
      entity: run.entity,
      project: run.project,
      displayName: run.display_name,
      notes: run.notes,
      tags: [...run.tags],
      startTime: run.start_time ? {seconds: run.start_time.seconds, nanos: run.start_time.nanos} : undefined,
    }
    if (run.config) this.config.apply(run.config)
  }

  #applyOutput(out: OutputRawRecord): void {
    const time = out.timestamp ? {seconds: out.timestamp.seconds, nanos: out.timestamp.nanos} : ZERO_TIME
    this.console.write(out.line, out.output_type === OutputRawRecord_OutputType.STDERR, time)
  }
}
