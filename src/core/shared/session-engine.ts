/**
 * The heavy half of the node service: a SessionEngine that serves each session with a
 * ServiceServer on the listeners the session opened. Loaded by the node after it listens
 * (bin/full.ts), so the node answers stand-ins and writes their port files while this loads.
 */
import type {Logger} from '../observability/index.ts'
import {ServiceServer, type ApiSessions, type StreamFactory, type SyncSessions} from '../server/index.ts'
import {pidAlive} from './pid-alive.ts'
import type {SessionEngine} from './session.ts'

/** What serves one session's runs; `print` reaches the stand-in's stdout. */
export interface SessionEngines {
  createStream: StreamFactory
  api: ApiSessions
  sync: SyncSessions
}

/** An engine whose sessions are ServiceServers with the engines `make` builds for each session. */
export function serverEngine(make: (logger: Logger, print: (line: string) => void) => SessionEngines): SessionEngine {
  return {
    serve: (o) =>
      ServiceServer.start({
        portFilename: '',
        parentPid: o.parentPid,
        parentAlive: () => pidAlive(o.parentPid),
        detached: false,
        idleTimeoutMs: 0,
        listenOnLocalhost: o.listenOnLocalhost,
        logger: o.logger,
        ...make(o.logger, o.print),
        shutdownGraceMs: o.shutdownGraceMs,
        listeners: o.listeners,
      }),
  }
}
