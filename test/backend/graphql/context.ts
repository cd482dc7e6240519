/**
 * What every GraphQL resolver receives: the state, the authenticated viewer, the sweep
 * controller, and how to build absolute URLs back to this server.
 */
import type {SweepController} from '../sweeps/controller.ts'
import type {Store} from '../store/index.ts'

/** The user behind an API key. Every valid key maps to the same single user. */
export interface Viewer {
  username: string
  entity: string
  email: string
}

/** The per-request resolver context. */
export interface Ctx {
  store: Store
  viewer: Viewer
  sweeps: SweepController
  /** "http://127.0.0.1:PORT" — storage URLs handed to clients point here. */
  baseUrl: string
  /** Logs a line unless the backend is quiet. */
  log(message: string): void
}

/** The entity name to use when a client sent none: the viewer's default entity. */
export function entityOr(ctx: Ctx, entity: unknown): string {
  return typeof entity === 'string' && entity !== '' ? entity : ctx.viewer.entity
}

/** The project name to use when a client sent none (the server's default project). */
export function projectOr(project: unknown): string {
  return typeof project === 'string' && project !== '' ? project : 'uncategorized'
}

/** A string argument or null (empty strings count as absent). */
export function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null
}

/**
 * A list argument as GraphQL input coercion defines it: a single value stands for a list of one,
 * null/undefined for an empty list. (Without a schema the executor cannot coerce by type.)
 */
export function asList<T>(v: T | T[] | null | undefined): T[] {
  if (v === null || v === undefined) return []
  return Array.isArray(v) ? v : [v]
}
