/**
 * Reservoir sampling with Algorithm L (Li, 1994): a uniform random sample of k items from a stream
 * of unknown length, in one pass, drawing random numbers only for the items that enter the sample.
 *
 * The first k items are always kept; later items replace a random slot with decreasing
 * probability. `sample()` returns the kept items in the order they were added.
 */

/** A source of uniform random numbers in [0, 1), like Math.random. */
export type RandomSource = () => number

/** A fixed-size uniform sample of a stream (see the module comment). */
export class ReservoirSampler<T> {
  readonly k: number
  #random: RandomSource
  #w: number
  #nextAccepted: number
  #seen = 0
  #sample: {value: T; index: number}[] = []

  /** `k` is the sample size (at least 1); `random` defaults to Math.random. */
  constructor(k: number, random: RandomSource = Math.random) {
    if (!(Number.isInteger(k) && k >= 1)) throw new RangeError('runstate: reservoir size must be a positive integer')
    this.k = k
    this.#random = random
    const {skip, w} = nextSkip(random, 1, k)
    this.#w = w
    this.#nextAccepted = k + skip
  }

  /** How many items have been offered so far. */
  get seen(): number {
    return this.#seen
  }

  /** Offers the next item of the stream. */
  add(value: T): void {
    const index = this.#seen++
    if (index < this.k) {
      this.#sample.push({value, index})
      return
    }
    if (index < this.#nextAccepted) return
    const slot = Math.floor(this.#random() * this.#sample.length)
    this.#sample[slot] = {value, index}
    const {skip, w} = nextSkip(this.#random, this.#w, this.k)
    this.#w = w
    this.#nextAccepted = index + skip + 1
  }

  /** The sampled items (at most k), in the order they were added. */
  sample(): T[] {
    return [...this.#sample].sort((a, b) => a.index - b.index).map((s) => s.value)
  }
}

/** Draws how many items to skip before the next accepted one, and the next `w` of Algorithm L. */
function nextSkip(random: RandomSource, w: number, k: number): {skip: number; w: number} {
  const nextW = w * Math.exp(logRandom(random) / k)
  const skip = Math.floor(logRandom(random) / Math.log(1 - nextW))
  return {skip: Number.isFinite(skip) && skip >= 0 ? skip : Number.POSITIVE_INFINITY, w: nextW}
}

/** log of a uniform number in (0, 1); a drawn 0 counts as the smallest positive double. */
function logRandom(random: RandomSource): number {
  const x = random()
  return Math.log(x > 0 ? x : Number.MIN_VALUE)
}
