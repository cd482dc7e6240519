const MB = 1024 * 1024

/** "42% 33.1/79.0 MB 12.3 MB/s ETA 4s" for `done` of `total` bytes after `elapsedS` seconds. */
export function transferFigures(done: number, total: number, elapsedS: number): string {
  const rate = elapsedS > 0 ? done / elapsedS : 0
  const eta = rate > 0 ? Math.max(0, (total - done) / rate) : 0
  const pct = total > 0 ? Math.floor((100 * done) / total) : 100
  return `${pct}% ${(done / MB).toFixed(1)}/${(total / MB).toFixed(1)} MB ${(rate / MB).toFixed(1)} MB/s ETA ${eta.toFixed(0)}s`
}
