/**
 * Time behind an interface, so loops with periods (heartbeats, debouncers, retries) can be tested
 * without real waiting. `now()` is wall-clock milliseconds since the epoch; `sleep` resolves after
 * `ms` or rejects with the signal's reason when aborted.
 */
export interface Clock {
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason)
        return
      }
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
        Math.max(0, ms),
      )
      const onAbort = () => {
        clearTimeout(timer)
        reject(signal!.reason)
      }
      signal?.addEventListener('abort', onAbort, {once: true})
    }),
}
