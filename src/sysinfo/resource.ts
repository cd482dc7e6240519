import type {EnvironmentRecord} from '../core/proto.ts'

/**
 * One sample: metric key (without the `system.` prefix, without a label) → value. Keys follow the
 * W&B SDK's names (`cpu`, `proc.memory.rssMB`, `gpu.0.temp`, …).
 */
export type Metrics = Map<string, number>

/**
 * One source of system metrics and machine facts (the host, the NVIDIA GPUs, …), like Go core's
 * `monitor.Resource`.
 *
 * Contract:
 * - `sample()` never rejects: a missing device, library or file yields fewer keys (an empty map when
 *   nothing could be read). Values are finite numbers.
 * - `sample()` is never called concurrently with itself (the monitor awaits each call); counters
 *   such as CPU time or bytes sent are differences from the previous call or from construction.
 * - `probe()` never rejects either: it returns the fields this source knows (possibly `{}`).
 * - `close()`, when present, releases native handles or child shells; it is called once, after the
 *   last `sample()`, and the resource is not used afterwards.
 */
export interface Resource {
  /** Short name for logs ("system", "nvidia"). */
  readonly name: string
  sample(): Promise<Metrics>
  probe(): Promise<Partial<EnvironmentRecord>>
  close?(): Promise<void> | void
}
