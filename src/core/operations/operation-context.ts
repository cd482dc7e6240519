import {AsyncLocalStorage} from 'node:async_hooks'

/**
 * The operation the current async call chain works for (Go core passes it in a context.Context).
 * Code deep in the HTTP stack reads it to report "retrying HTTP 503" on the right operation
 * without every layer in between passing it along.
 */
const current = new AsyncLocalStorage<RetryReporter>()

/** What the HTTP stack tells the current operation (Operation implements it). */
export interface RetryReporter {
  /** A retryable HTTP status was answered; the request is retried after the back-off. */
  markRetryingHttp(status: number, statusText: string, body: unknown): void
  /** No answer (a network failure or a timeout); the request is retried. */
  markRetryingError(error: unknown): void
  /** The request ended, however it ended. */
  clearError(): void
}

/** Runs `fn` with `op` as the current operation of everything it starts, awaits included. */
export function withOperation<T>(op: RetryReporter | undefined, fn: () => T): T {
  return op ? current.run(op, fn) : fn()
}

/** The operation of the calling async chain, or undefined outside of any. */
export function currentOperation(): RetryReporter | undefined {
  return current.getStore()
}
