/**
 * The samples behind `sampled_history` (the sparklines of the run footer): for every top-level key
 * with a numeric value, a reservoir sample of 48 of its values, stored as float32 like the proto's
 * `values_float`. Nested values are not sampled.
 */
import {SampledHistoryItem} from '../proto.ts'
import type {RandomSource} from './reservoir-sampler.ts'
import {ReservoirSampler} from './reservoir-sampler.ts'
import type {RunHistory} from './run-history.ts'

/** Number of values kept per key. */
export const SAMPLES_PER_KEY = 48

/** Samples of each top-level numeric history key, fed one flushed row at a time. */
export class RunHistorySampler {
  #random: RandomSource
  #samples = new Map<string, ReservoirSampler<number>>()

  /** `random` (default Math.random) decides which values past the first 48 are kept. */
  constructor(random: RandomSource = Math.random) {
    this.#random = random
  }

  /** Adds the numeric top-level values of the next row; rows must come in history order. */
  sampleNext(row: RunHistory): void {
    for (const [path, value] of row.numbers()) {
      if (path.length !== 1) continue
      let sampler = this.#samples.get(path[0])
      if (!sampler) {
        sampler = new ReservoirSampler<number>(SAMPLES_PER_KEY, this.#random)
        this.#samples.set(path[0], sampler)
      }
      sampler.add(Math.fround(value))
    }
  }

  /** One item per sampled key (in first-seen order), values in history order. */
  items(): SampledHistoryItem[] {
    return [...this.#samples].map(([key, sampler]) => SampledHistoryItem.create({key, values_float: sampler.sample()}))
  }
}
