import {RequestCancelledError} from './errors.ts'

/**
 * Settles like `work`, or rejects with RequestCancelledError as soon as `signal` aborts, whichever
 * comes first. The work itself is not stopped (pass the signal down for that): this only makes
 * sure a caller is never kept waiting after a cancellation.
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work
  if (signal.aborted) {
    work.catch(() => {})
    return Promise.reject(new RequestCancelledError({cause: signal.reason}))
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => {})
      reject(new RequestCancelledError({cause: signal.reason}))
    }
    signal.addEventListener('abort', onAbort, {once: true})
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (err) => {
        signal.removeEventListener('abort', onAbort)
        reject(err)
      },
    )
  })
}
