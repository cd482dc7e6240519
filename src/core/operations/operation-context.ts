import {AsyncLocalStorage} from 'node:async_hooks'
import type {Operation} from './operations.ts'

/**
 * The operation the current async call chain works for (Go core passes it in a context.Context).
 * Code deep in the HTTP stack reads it to report "retrying HTTP 503" on the right operation
 * without every layer in between passing it along.
 */
const current = new AsyncLocalStorage<Operation>()

/** Runs `fn` with `op` as the current operation of everything it starts, awaits included. */
export function withOperation<T>(op: Operation | undefined, fn: () => T): T {
  return op ? current.run(op, fn) : fn()
}

/** The operation of the calling async chain, or undefined outside of any. */
export function currentOperation(): Operation | undefined {
  return current.getStore()
}
