/**
 * Wire compatibility with the real SDK: a corpus serialised by wandb 0.31.0's own pb2 classes
 * (test/proto/corpus.py) is decoded by our generated TypeScript, re-encoded, and parsed back by the
 * SDK (test/proto/check_roundtrip.py), which must find messages equal to the originals.
 */
import {beforeAll, expect, test} from 'bun:test'
import {join} from 'node:path'
import {MESSAGE_TYPES, messageType, type AnyMessageType} from './message-types.ts'
import {runPython} from '../helpers/python.ts'
import {NO_PYCACHE} from './schema-compat.ts'

const HERE = import.meta.dir

interface CorpusEntry {
  type: string
  name: string
  b64: string
}

interface RoundTrip {
  entry: CorpusEntry
  message: object
}

let corpus: CorpusEntry[] = []
let sdkOneofCases: Record<string, string[]> = {}
const decoded: RoundTrip[] = []
const decodeFailures: string[] = []

/** Runs one of the Python scripts next to this file and returns its stdout; throws on failure. */
async function python(script: string, args: string[] = [], stdin?: string): Promise<string> {
  const result = await runPython([join(HERE, script), ...args], {stdin, timeoutMs: 60_000, env: NO_PYCACHE})
  if (result.code !== 0) throw new Error(`${script} ${args.join(' ')} exited ${result.code}:\n${result.stderr}`)
  return result.stdout
}

beforeAll(async () => {
  const [lines, cases] = await Promise.all([python('corpus.py'), python('corpus.py', ['--oneof-cases'])])
  corpus = lines
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as CorpusEntry)
  sdkOneofCases = JSON.parse(cases)
  for (const entry of corpus) {
    try {
      // "throw": a field number our schema does not declare fails the decode (nothing kept aside
      // as an unknown field), at any depth, since options reach every nested read.
      const message = messageType(entry.type).fromBinary(Buffer.from(entry.b64, 'base64'), {readUnknownField: 'throw'})
      decoded.push({entry, message})
    } catch (e) {
      decodeFailures.push(`${entry.type} "${entry.name}": ${(e as Error).message}`)
    }
  }
})

/** Adds "<type>.<oneof>.<case>" for every oneof case set anywhere inside message. */
function collectOneofCases(type: AnyMessageType, message: object, seen: Set<string>): void {
  const msg = message as {[field: string]: unknown}
  for (const field of type.fields) {
    let value: unknown
    if (field.oneof) {
      const group = msg[field.oneof] as {oneofKind: string | undefined; [k: string]: unknown}
      if (group.oneofKind !== field.localName) continue
      seen.add(`${type.typeName}.${field.oneof}.${field.localName}`)
      value = group[field.localName]
    } else {
      value = msg[field.localName]
    }
    if (field.kind === 'message') {
      const values = field.repeat ? (value as object[]) : value === undefined ? [] : [value as object]
      for (const v of values) collectOneofCases(field.T() as AnyMessageType, v, seen)
    } else if (field.kind === 'map' && field.V.kind === 'message') {
      const valueType = field.V.T() as AnyMessageType
      for (const v of Object.values(value as object)) collectOneofCases(valueType, v, seen)
    }
  }
}

test('the SDK corpus exercises every wandb message type that our generated code declares', () => {
  const corpusTypes = new Set(corpus.map((e) => e.type))
  const ours = [...MESSAGE_TYPES.keys()].filter((name) => name.startsWith('wandb_internal.'))
  expect(ours.length).toBeGreaterThan(250)
  expect(ours.filter((name) => !corpusTypes.has(name))).toEqual([])
  expect([...corpusTypes].filter((name) => !MESSAGE_TYPES.has(name))).toEqual([])
})

test('our generated types decode every SDK-serialised message without meeting an unknown field', () => {
  expect(corpus.length).toBeGreaterThan(500)
  expect(decodeFailures).toEqual([])
  expect(decoded.length).toBe(corpus.length)
})

test('every case of every oneof in the SDK schema is decoded into that case somewhere in the corpus', () => {
  const seen = new Set<string>()
  for (const {entry, message} of decoded) collectOneofCases(messageType(entry.type), message, seen)
  const expected = Object.entries(sdkOneofCases).flatMap(([oneof, cases]) => cases.map((c) => `${oneof}.${c}`))
  for (const envelope of ['Record.record_type', 'Request.request_type', 'Response.response_type', 'ServerRequest.server_request_type', 'ServerResponse.server_response_type']) {
    expect(sdkOneofCases[`wandb_internal.${envelope}`]?.length ?? 0).toBeGreaterThan(10)
  }
  expect(expected.filter((c) => !seen.has(c))).toEqual([])
})

test("bytes we re-encode parse in the SDK to messages equal to the originals, and our JSON matches the SDK's", async () => {
  const input = decoded
    .map(({entry, message}) => {
      const type = messageType(entry.type)
      return JSON.stringify({
        type: entry.type,
        name: entry.name,
        orig: entry.b64,
        b64: Buffer.from(type.toBinary(message)).toString('base64'),
        json: type.toJsonString(message),
      })
    })
    .join('\n')
  const report = JSON.parse(await python('check_roundtrip.py', [], input)) as {
    checked: number
    failures: {type: string; name: string; problems: string[]}[]
  }
  const readable = report.failures.map((f) => `${f.type} "${f.name}":\n  ${f.problems.join('\n  ')}`)
  expect(readable).toEqual([])
  expect(report.checked).toBe(corpus.length)
})
