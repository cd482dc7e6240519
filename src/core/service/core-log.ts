import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {FileLogSink, JsonLogger, type Logger} from '../observability/index.ts'
import {coreLogDir, coreLogName} from './log-paths.ts'

/** The core-debug log of this process (a logger to nowhere when it cannot be opened). */
export function openCoreLog(level: number): {logger: Logger; path: string | undefined; close: () => void} {
  try {
    const dir = coreLogDir()
    mkdirSync(dir, {recursive: true})
    const path = join(dir, coreLogName())
    const sink = new FileLogSink(path)
    return {logger: new JsonLogger(sink.write, level), path, close: () => sink.close()}
  } catch {
    return {logger: new JsonLogger(() => {}, level), path: undefined, close: () => {}}
  }
}

/**
 * The node service's core-debug log, opened late: lines are held in memory until `open()` (or
 * `close()`). The file's name is local time, and a process's first local-time call loads the time
 * zone (~5 ms on Linux); the node opens its log after its first port file is out, not before.
 * `open` returns the log's path (undefined when it cannot be opened) and is idempotent.
 */
export function deferredCoreLog(level: number): {logger: Logger; open: () => string | undefined; close: () => void} {
  let held: string[] | undefined = []
  let sink: FileLogSink | undefined
  let path: string | undefined
  const open = (): string | undefined => {
    if (held === undefined) return path
    const lines = held
    held = undefined
    try {
      const dir = coreLogDir()
      mkdirSync(dir, {recursive: true})
      path = join(dir, coreLogName())
      sink = new FileLogSink(path)
      for (const line of lines) sink.write(line)
    } catch {
      path = undefined
    }
    return path
  }
  const write = (line: string) => {
    if (held) held.push(line)
    else sink?.write(line)
  }
  return {
    logger: new JsonLogger(write, level),
    open,
    close: () => {
      open()
      sink?.close()
    },
  }
}
