/** The shape of one benchmark workload. */
import type {BenchContext} from './context.ts'
import type {Core} from './cores.ts'

export interface Metric {
  key: string
  label: string
  unit: string
}

export interface Workload {
  name: string
  /** One line for the table's footnotes. */
  describe(quick: boolean): string
  metrics: Metric[]
  /** What the two sides run (default: the SDK on Go wandb-core vs on nexus). */
  sides?: Record<Core, string>
  /** One-time preparation shared by all repetitions (untimed). */
  prepare?(ctx: BenchContext): Promise<void>
  /** One repetition with one side: metric key → value. Throws BenchFailure when the result is wrong. */
  measure(ctx: BenchContext, core: Core, rep: number): Promise<Record<string, number>>
  /** Why it cannot run here (then it is listed as pending). */
  unavailable?(ctx: BenchContext): string | undefined
}
