/**
 * Shared test scaffolding: a ConsoleLogs wired to a manual clock, a temporary files directory and
 * recording sinks.
 */
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {ConsoleLogs} from '../../../src/core/console/index.ts'
import type {ConsoleLogsOptions, ConsoleUpdate} from '../../../src/core/console/index.ts'
import {JsonLogger, LogLevel, nullLogger} from '../../../src/core/observability/index.ts'
import type {Logger} from '../../../src/core/observability/index.ts'
import {OutputLoggerRecord, OutputRawRecord, OutputRawRecord_OutputType} from '../../../src/core/proto.ts'
import {ManualClock} from '../../fakes/manual-clock.ts'

export function tempDir(): {path: string; [Symbol.dispose](): void} {
  const path = mkdtempSync(join(tmpdir(), 'console-test-'))
  return {path, [Symbol.dispose]: () => rmSync(path, {recursive: true, force: true})}
}

/** A ConsoleLogs with everything it reports recorded. */
export class Harness {
  readonly clock: ManualClock
  readonly updates: ConsoleUpdate[] = []
  readonly ready: string[] = []
  readonly logs: ConsoleLogs
  readonly filesDir: string

  constructor(filesDir: string, options: Partial<ConsoleLogsOptions> & {startMs?: number} = {}) {
    this.filesDir = filesDir
    this.clock = new ManualClock(options.startMs)
    this.logs = new ConsoleLogs({
      filesDir,
      structured: false,
      captureEnabled: true,
      clock: this.clock,
      logger: nullLogger,
      fileStreamSink: (u) => this.updates.push({offset: u.offset, lines: [...u.lines]}),
      onFileReady: (p) => this.ready.push(p),
      ...options,
    })
  }

  stdout(line: string): void {
    this.logs.handleOutputRaw(OutputRawRecord.create({output_type: OutputRawRecord_OutputType.STDOUT, line}))
  }

  stderr(line: string): void {
    this.logs.handleOutputRaw(OutputRawRecord.create({output_type: OutputRawRecord_OutputType.STDERR, line}))
  }

  logger(line: string): void {
    this.logs.handleOutputLogger(OutputLoggerRecord.create({line}))
  }

  /** Text of a file under filesDir. */
  file(relPath = 'output.log'): string {
    return readFileSync(join(this.filesDir, relPath), 'utf8')
  }

  /** Names of the files under filesDir (recursively, forward slashes). */
  files(): string[] {
    return (readdirSync(this.filesDir, {recursive: true, withFileTypes: true}) as import('node:fs').Dirent[])
      .filter((d) => d.isFile())
      .map((d) =>
        join(d.parentPath, d.name)
          .slice(this.filesDir.length + 1)
          .replaceAll('\\', '/'),
      )
      .sort()
  }

  /** The server's view after applying every update in order: offset → line. */
  serverLines(): Map<number, string> {
    const lines = new Map<number, string>()
    for (const u of this.updates) u.lines.forEach((l, i) => lines.set(u.offset + i, l))
    return lines
  }
}

/** Groups a sparse list of lines into runs of consecutive offsets, ascending. */
export function toRuns(lines: Map<number, string>): {start: number; items: string[]}[] {
  const runs: {start: number; items: string[]}[] = []
  for (const n of [...lines.keys()].sort((a, b) => a - b)) {
    const last = runs.at(-1)
    if (last && last.start + last.items.length === n) last.items.push(lines.get(n)!)
    else runs.push({start: n, items: [lines.get(n)!]})
  }
  return runs
}

/** A logger that keeps its JSON lines (parsed) for assertions. */
export function recordingLogger(): {logger: Logger; entries: {level: string; msg: string; [k: string]: unknown}[]} {
  const entries: {level: string; msg: string}[] = []
  return {logger: new JsonLogger((line) => entries.push(JSON.parse(line)), LogLevel.DEBUG), entries}
}
