import type {HandlerContext, SenderContext} from '../contexts.ts'
import type {Work} from '../work.ts'

/**
 * How one record type (or request type) moves through the pipeline. Every field is optional:
 * - accept: the handler phase (fast, ordered, no network). Default: forward the work unchanged.
 *   A unit that answers in the handler and does not call h.forward() ends the work there.
 * - persist: whether the writer appends it to the .wandb file (default: records yes, requests no;
 *   records with control.local never).
 * - offline: whether it still reaches the sender when the run is offline (Go: BypassOfflineMode).
 * - process: the sender phase (may await the network). If it returns without answering a work that
 *   has a responder, the sender answers with an empty Response unless `answersLater` is set.
 */
export interface Unit {
  accept?(work: Work, h: HandlerContext): void
  persist?: boolean
  offline?: boolean
  process?(work: Work, s: SenderContext): void | Promise<void>
  answersLater?: boolean
}

/** A unit that only passes its record on (saved; sent when online; no sender work). */
export const PASS: Unit = {}
