/**
 * Delivery outcomes: every unit of upload (a file_stream session, a file PUT, a download) ends in
 * exactly one of these instead of failing silently. `nexus sync` marks a run synced only when all
 * of its outcomes are `delivered`; the exit of a run reports the others.
 */
import {GraphQLError} from '../api/index.ts'
import {HttpError, isPermanent} from '../errors.ts'

/**
 * - `delivered`: the server accepted the data.
 * - `rejected`: the server refused it with an answer that retrying cannot change (a 4xx other
 *   than 408/429, a GraphQL error, a response that breaks the protocol).
 * - `abandoned`: we gave up without a final answer: retries exhausted, network failures, timeouts,
 *   a cancelled or closed uploader, a local file that could not be read.
 */
export type DeliveryStatus = 'delivered' | 'rejected' | 'abandoned'

/** The outcome of one unit of upload; `error` is set for every status but `delivered`. */
export interface Delivery {
  status: DeliveryStatus
  error?: Error
}

/** The one `delivered` outcome (frozen, safe to share). */
export const DELIVERED: Delivery = Object.freeze({status: 'delivered'}) as Delivery

/**
 * The outcome for a failure `err`. `retryStatus` is the policy's judgement of HTTP statuses: an
 * HttpError whose status the policy would have retried means the retries ran out (`abandoned`);
 * any other HttpError, a GraphQLError or a PermanentError is the server's final word (`rejected`).
 */
export function failedDelivery(err: unknown, retryStatus: (status: number) => boolean): Delivery {
  const error = err instanceof Error ? err : new Error(String(err))
  if (err instanceof GraphQLError || isPermanent(err)) return {status: 'rejected', error}
  if (err instanceof HttpError) return {status: retryStatus(err.status) ? 'abandoned' : 'rejected', error}
  return {status: 'abandoned', error}
}

/** Counts of outcomes, and the failed ones with what they were about (a run path, "file_stream"). */
export interface DeliverySummary {
  delivered: number
  rejected: number
  abandoned: number
  failures: Array<{what: string; delivery: Delivery}>
}

/** Folds `[what, outcome]` pairs into a DeliverySummary (pure; the input is not kept). */
export function summarizeDeliveries(entries: Iterable<readonly [string, Delivery]>): DeliverySummary {
  const out: DeliverySummary = {delivered: 0, rejected: 0, abandoned: 0, failures: []}
  for (const [what, delivery] of entries) {
    out[delivery.status]++
    if (delivery.status !== 'delivered') out.failures.push({what, delivery})
  }
  return out
}
