/**
 * Leak guard, preloaded into every test process (bunfig.toml [test] preload).
 *
 * Tracks the servers (Bun.serve) and child processes (Bun.spawn) that tests create. A test that
 * leaves one of its own open fails in afterEach; anything created at file level (beforeAll) must
 * be closed by the end of the test process. This is our goleak: a leaked service process or server
 * would make later tests flaky and CI hang.
 */
import {afterAll, afterEach, beforeEach} from 'bun:test'

interface Tracked {
  what: string
  inTest: boolean
  open: () => boolean
  close: () => void
}

const tracked = new Set<Tracked>()
let inTest = false

const origServe = Bun.serve
;(Bun as any).serve = (options: any) => {
  const server = origServe(options)
  let stopped = false
  const origStop = server.stop.bind(server)
  ;(server as any).stop = (force?: boolean) => {
    stopped = true
    return origStop(force)
  }
  tracked.add({
    what: `server ${server.url}`,
    inTest,
    open: () => !stopped,
    close: () => void origStop(true),
  })
  return server
}

const origSpawn = Bun.spawn
;(Bun as any).spawn = (...args: any[]) => {
  const proc = (origSpawn as any)(...args)
  const cmd = Array.isArray(args[0]) ? args[0] : (args[0]?.cmd ?? [String(args[0])])
  let exited = false
  proc.exited.then(() => (exited = true))
  tracked.add({
    what: `process ${proc.pid} (${cmd.slice(0, 3).join(' ')})`,
    inTest,
    open: () => !exited && proc.exitCode === null && proc.signalCode === null,
    close: () => proc.kill('SIGKILL'),
  })
  return proc
}

function sweep(filter: (t: Tracked) => boolean): string[] {
  const leaks: string[] = []
  for (const t of [...tracked]) {
    if (!filter(t)) continue
    tracked.delete(t)
    if (t.open()) {
      leaks.push(t.what)
      t.close()
    }
  }
  return leaks
}

beforeEach(() => {
  inTest = true
})

afterEach(() => {
  inTest = false
  const leaks = sweep((t) => t.inTest)
  if (leaks.length > 0) throw new Error(`leak guard: the test left open: ${leaks.join(', ')}`)
})

afterAll(() => {
  const leaks = sweep(() => true)
  if (leaks.length > 0) throw new Error(`leak guard: left open at the end of the test run: ${leaks.join(', ')}`)
})
