/**
 * W&B histogram values from TensorBoard histograms (Go core: tfeventconverterhistograms.go,
 * wbvalue/histogram.go): bin edges and weights, at most 512 bins (more are rebinned preserving
 * the total and the distribution of the edges).
 */
import {WandbError} from '../errors.ts'

/** The most bins a histogram keeps. */
export const MAX_HISTOGRAM_BINS = 512

/** A histogram that cannot be turned into a W&B histogram value. */
export class HistogramError extends WandbError {
  override name = 'HistogramError'
}

export interface Histogram {
  /** One more than the bins: the left edge of each bin, then the right edge of the last. */
  edges: number[]
  weights: number[]
}

/**
 * The history value JSON: {"_type":"histogram","bins":edges,"values":weights}, rebinned to at
 * most 512 bins. Throws HistogramError when the edges do not match the weights or a number is not
 * finite (Go's encoding/json refuses NaN and ±Inf).
 */
export function histogramValueJson(h: Histogram): string {
  if (h.edges.length !== h.weights.length + 1) throw new HistogramError(`invalid histogram: ${h.edges.length} edges for ${h.weights.length} bins`)
  const {edges, weights} = h.weights.length > MAX_HISTOGRAM_BINS ? reduceHistogram(MAX_HISTOGRAM_BINS, h.edges, h.weights) : h
  if (![...edges, ...weights].every(Number.isFinite)) throw new HistogramError('histogram has a value that is not finite')
  return JSON.stringify({_type: 'histogram', bins: edges, values: weights})
}

/**
 * Rebins to `bins` bins (fewer than the histogram has): new edges interpolate the old edges at
 * evenly spaced fractional indices; an old bin's weight is shared between the new bins it
 * overlaps in proportion to the overlap.
 */
export function reduceHistogram(bins: number, oldEdges: number[], oldWeights: number[]): Histogram {
  const edges = reduceEdges(bins, oldEdges)
  const weights = new Array<number>(bins).fill(0)
  // Indexing past the old bins (possible only with unordered edges) is an error, as Go's panic is.
  const edgeAt = (k: number) => {
    if (k >= oldEdges.length) throw new HistogramError('cannot rebin a histogram whose edges are not ordered')
    return oldEdges[k]
  }
  const weightAt = (k: number) => {
    if (k >= oldWeights.length) throw new HistogramError('cannot rebin a histogram whose edges are not ordered')
    return oldWeights[k]
  }
  let old = 0
  for (let i = 0; i < bins; i++) {
    while (edgeAt(old + 1) < edges[i + 1]) {
      weights[i] += weightAt(old)
      old++
    }
    const left = edgeAt(old)
    const right = edgeAt(old + 1)
    const newRight = edges[i + 1]
    if (newRight <= right) {
      const frac = (newRight - left) / (right - left)
      weights[i] += frac * weightAt(old)
      weights[Math.min(i + 1, bins - 1)] += (1 - frac) * weightAt(old)
      old++
    }
  }
  return {edges, weights}
}

function reduceEdges(bins: number, oldEdges: number[]): number[] {
  if (oldEdges.length < 1) throw new HistogramError('invalid histogram')
  const oldBins = oldEdges.length - 1
  if (bins >= oldBins) throw new HistogramError(`${bins} is not smaller than ${oldBins}`)
  const step = Math.trunc(oldBins / bins)
  const fracStep = oldBins % bins
  const edges = new Array<number>(bins + 1).fill(0)
  edges[0] = oldEdges[0]
  edges[bins] = oldEdges[oldBins]
  // index = idx + frac / bins, advanced by oldBins / bins each time, in integers (no rounding drift)
  let idx = step
  let frac = fracStep
  for (let i = 1; i < bins; i++) {
    const e1 = oldEdges[idx]
    const e2 = oldEdges[idx + 1]
    edges[i] = e1 + (e2 - e1) * (frac / bins)
    idx += step
    frac += fracStep
    if (frac >= bins) {
      idx++
      frac -= bins
    }
  }
  return edges
}
