/**
 * The `/_inspect/` HTTP API (JSON; no authentication, no faults, not in the request log):
 *   GET    runs | artifacts | sweeps    stored state (inspect.ts)
 *   GET    requests                     the request log (method, path, operation, status, fault)
 *   GET    unknown                      GraphQL root fields / fields the backend did not implement
 *   GET    faults                       active fault rules with their `fired` counters
 *   GET    filestream                   content lines/bytes file_stream received, re-sends included
 *   POST   faults                       add one rule or an array of rules (faults.ts)
 *   DELETE faults                       remove every rule
 *   POST   reset                        delete all state, the request log and the fault rules
 */
import {checkFaultRule, type FaultInjector, type FaultRule} from './faults.ts'
import {inspectArtifacts, inspectRuns, inspectSweeps} from './inspect.ts'
import type {FileStreamTally} from './filestream-tally.ts'
import type {RequestLog} from './request-log.ts'
import type {Store} from './store/index.ts'

/** What the inspection routes touch besides the store. */
export interface InspectTarget {
  faults: FaultInjector
  requests: RequestLog
  fileStreamTally: FileStreamTally
}

/** Handles `/_inspect/{route}`. */
export async function handleInspect(target: InspectTarget, store: Store, req: Request, route: string): Promise<Response> {
  const method = req.method
  if (method === 'GET') {
    switch (route) {
      case 'runs':
        return ok(inspectRuns(store))
      case 'artifacts':
        return ok(inspectArtifacts(store))
      case 'sweeps':
        return ok(inspectSweeps(store))
      case 'requests':
        return ok(target.requests.list())
      case 'unknown':
        return ok(target.requests.unknowns())
      case 'faults':
        return ok(target.faults.list())
      case 'filestream':
        return ok(target.fileStreamTally.list())
    }
  }
  if (route === 'faults' && method === 'POST') {
    let body: unknown
    try {
      body = await req.json()
    } catch {
      return fail(400, 'body must be a JSON fault rule or an array of rules')
    }
    const rules = Array.isArray(body) ? body : [body]
    for (const r of rules) {
      const problem = checkFaultRule(r)
      if (problem) return fail(400, problem)
    }
    for (const r of rules) target.faults.add(r as FaultRule)
    return ok({added: rules.length})
  }
  if (route === 'faults' && method === 'DELETE') {
    target.faults.clear()
    return ok({cleared: true})
  }
  if (route === 'reset' && method === 'POST') {
    store.reset()
    target.requests.clear()
    target.faults.clear()
    target.fileStreamTally.clear()
    return ok({reset: true})
  }
  return fail(404, `no inspection route ${method} /_inspect/${route}`)
}

function ok(body: unknown): Response {
  return Response.json(body)
}

function fail(status: number, message: string): Response {
  return Response.json({error: message}, {status})
}
