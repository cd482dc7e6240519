/**
 * Fault injection for retry tests (`POST /_inspect/faults`, `DELETE /_inspect/faults`).
 *
 * A rule matches a request by `path` and/or GraphQL `operation` (and optionally `method`):
 * - `path`: a string starting with `^` is a regular expression tested against the URL path;
 *   any other string is a prefix of the path (e.g. "/files/" matches every file_stream request);
 * - `operation`: the operation name parsed from the GraphQL document (exact, case-sensitive);
 *   a rule with `operation` never matches a non-GraphQL request.
 * Actions: `status` answers `status` (default 500) with an optional `Retry-After: retryAfter`
 * header and never reaches the handler; `delay` waits `delayMs` (default 1000) and then handles
 * the request normally; `reset` drops the connection without sending a response.
 * `times` limits how often a rule fires (default: unlimited); `probability` (0–1, default 1) is
 * the chance that a matching request is hit; `after` lets the first N matching requests through
 * (a failure that starts mid-way). The first rule that fires wins.
 */

/** A fault rule as posted to /_inspect/faults. */
export interface FaultRule {
  match: {path?: string; operation?: string; method?: string}
  action: 'status' | 'delay' | 'reset'
  status?: number
  retryAfter?: number
  delayMs?: number
  times?: number
  probability?: number
  /** Matching requests let through before the rule starts firing (default 0). */
  after?: number
}

/** A stored rule with its remaining firings and how often it fired. */
export interface ActiveFault extends FaultRule {
  fired: number
  /** Matching requests seen (let through or not). */
  seen?: number
}

/** Validates a rule posted by a client; returns an error message or null. */
export function checkFaultRule(rule: unknown): string | null {
  const r = rule as Partial<FaultRule> | null
  if (!r || typeof r !== 'object') return 'a fault rule must be an object'
  if (!r.match || typeof r.match !== 'object') return 'a fault rule needs "match": {path?, operation?, method?}'
  if (!['status', 'delay', 'reset'].includes(String(r.action))) return 'action must be "status", "delay" or "reset"'
  if (r.match.path !== undefined && typeof r.match.path !== 'string') return 'match.path must be a string'
  if (typeof r.match.path === 'string' && r.match.path.startsWith('^')) {
    try {
      new RegExp(r.match.path)
    } catch (e) {
      return `match.path is not a valid regular expression: ${(e as Error).message}`
    }
  }
  if (r.probability !== undefined && !(r.probability >= 0 && r.probability <= 1)) return 'probability must be within [0, 1]'
  if (r.times !== undefined && !(Number.isInteger(r.times) && r.times >= 0)) return 'times must be a non-negative integer'
  if (r.after !== undefined && !(Number.isInteger(r.after) && r.after >= 0)) return 'after must be a non-negative integer'
  return null
}

/** The rule set. Rules are evaluated in insertion order. */
export class FaultInjector {
  private rules: ActiveFault[] = []

  constructor(private readonly random: () => number = Math.random) {}

  /** Adds a rule (validate it with checkFaultRule first). */
  add(rule: FaultRule): void {
    this.rules.push({...rule, match: {...rule.match}, fired: 0, ...(rule.after ? {seen: 0} : {})})
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = []
  }

  /** Copies of the rules with their `fired` counters. */
  list(): ActiveFault[] {
    return this.rules.map((r) => ({...r, match: {...r.match}}))
  }

  /** The rule that fires for this request (counting the firing), or null. */
  decide(method: string, path: string, operation: string | null): ActiveFault | null {
    for (const rule of this.rules) {
      if (rule.times !== undefined && rule.fired >= rule.times) continue
      if (!matches(rule, method, path, operation)) continue
      if (rule.after !== undefined && rule.after > 0) {
        rule.seen = (rule.seen ?? 0) + 1
        if (rule.seen <= rule.after) continue
      }
      if (rule.probability !== undefined && this.random() >= rule.probability) continue
      rule.fired++
      return rule
    }
    return null
  }
}

function matches(rule: FaultRule, method: string, path: string, operation: string | null): boolean {
  const m = rule.match
  if (m.method && m.method.toUpperCase() !== method.toUpperCase()) return false
  if (m.operation !== undefined && m.operation !== operation) return false
  if (m.path !== undefined) {
    if (m.path.startsWith('^')) {
      if (!new RegExp(m.path).test(path)) return false
    } else if (!path.startsWith(m.path)) return false
  }
  return true
}
