/**
 * Differential test against Go wandb-core's runconsolelogs: each scenario of
 * fixtures/console-cases.ts was run through the Go package (fixtures/go-oracle/main.go) and its
 * output file and streamed console lines stored in fixtures/go-oracle-output.json.
 */
import {describe, expect, test} from 'bun:test'
import {CASE_TIME_MS, CASES} from './fixtures/console-cases.ts'
import oracle from './fixtures/go-oracle-output.json'
import {Harness, tempDir, toRuns} from './helpers.ts'

interface GoResult {
  name: string
  file: string
  fileExists: boolean
  runs: {start: number; items: string[]}[]
}

const TIMESTAMP = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}/
const GO_TIMESTAMP = '2024-01-02T03:04:05.123456'
const results = new Map((oracle as GoResult[]).map((r) => [r.name, r]))

describe('ConsoleLogs matches Go wandb-core', () => {
  test('every scenario has a Go result', () => {
    expect(CASES.map((c) => c.name).filter((n) => !results.has(n))).toEqual([])
  })

  for (const [c, flushEachRecord] of CASES.flatMap(
    (c) =>
      [
        [c, false],
        [c, true],
      ] as const,
  )) {
    const how = flushEachRecord ? ', flushing after every record' : ''
    test(`${c.name}: same output file and same streamed lines${how}`, async () => {
      using dir = tempDir()
      const h = new Harness(dir.path, {startMs: CASE_TIME_MS, label: c.label, structured: c.structured, captureEnabled: c.capture})
      for (const op of c.ops) {
        if (op.kind === 'stdout') h.stdout(op.text)
        else if (op.kind === 'stderr') h.stderr(op.text)
        else h.logger(op.text)
        if (flushEachRecord) await h.clock.advance(5_000)
      }
      await h.logs.finish()

      const go = results.get(c.name)!
      const files = h.files()
      if (go.fileExists) {
        expect(files).toHaveLength(1)
        expect(`${files[0]}\n${h.file(files[0])}`).toBe(go.file)
        expect(h.ready).toEqual([files[0]])
      } else {
        expect(files).toEqual([])
        expect(h.ready).toEqual([])
      }
      // Flushing needs the clock to move, so later lines carry later times there; compare the rest.
      const stamp = (line: string) => (flushEachRecord ? line.replace(TIMESTAMP, GO_TIMESTAMP) : line)
      expect(toRuns(h.serverLines()).map((r) => ({...r, items: r.items.map(stamp)}))).toEqual(go.runs)
    })
  }
})
