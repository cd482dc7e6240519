/**
 * Our proto/ schema against the wandb SDK's own descriptors (wandb.proto.v6.*_pb2.DESCRIPTOR):
 * any difference in messages, enums, field numbers, types, labels, oneofs, proto3 optional, maps
 * or json_names fails, and mutated copies of proto/ show that the comparison notices each kind.
 */
import {expect, test} from 'bun:test'
import {rmSync} from 'node:fs'
import {join} from 'node:path'
import {REPO_ROOT} from '../helpers/python.ts'
import {compareWithSdk, formatMismatch, mutatedProtoCopy, PROTO_DIR, type SchemaComparison, type SchemaMismatch} from './schema-compat.ts'

const pkg = (await Bun.file(join(REPO_ROOT, 'package.json')).json()) as {nexus: {wandbProtocol: string}}

/** The comparison of proto/ as it is, shared by the tests (the mutations are judged against it). */
let baseline: Promise<SchemaComparison> | undefined
const compareBaseline = () => (baseline ??= compareWithSdk(PROTO_DIR))

test('our proto/ schema matches the descriptors of the wandb SDK version we target, field for field', async () => {
  const report = await compareBaseline()
  expect(report.sdk_version).toBe(pkg.nexus.wandbProtocol)
  expect(report.compared.files).toBe(9)
  expect(report.compared.messages).toBeGreaterThan(250)
  expect(report.compared.fields).toBeGreaterThan(1000)
  expect(report.mismatches.map(formatMismatch)).toEqual([])
})

/** A one-line edit of a copy of proto/ and the single mismatch it must produce. */
interface Mutation {
  change: string
  file: string
  message: string
  from: string
  to: string
  expected: SchemaMismatch
}

const MUTATIONS: Mutation[] = [
  {
    change: 'a changed field number',
    file: 'wandb_internal.proto',
    message: 'HistoryRecord',
    from: 'HistoryStep step = 2;',
    to: 'HistoryStep step = 3;',
    expected: {where: 'wandb_internal.HistoryRecord.step', what: 'field number', sdk: 2, ours: 3},
  },
  {
    change: 'a changed field type',
    file: 'wandb_internal.proto',
    message: 'HistoryItem',
    from: 'string key = 1;',
    to: 'bytes key = 1;',
    expected: {where: 'wandb_internal.HistoryItem.key', what: 'field 1 type', sdk: 'TYPE_STRING', ours: 'TYPE_BYTES'},
  },
  {
    change: 'a dropped explicit json_name',
    file: 'wandb_internal.proto',
    message: 'GitRepoRecord',
    from: ' [json_name = "remote"]',
    to: '',
    expected: {where: 'wandb_internal.GitRepoRecord.remote_url', what: 'field 1 json_name', sdk: 'remote', ours: 'remoteUrl'},
  },
  {
    change: 'a singular field that the SDK declares repeated',
    file: 'wandb_internal.proto',
    message: 'RunRecord',
    from: 'repeated string tags = 10;',
    to: 'string tags = 10;',
    expected: {where: 'wandb_internal.RunRecord.tags', what: 'field 10 label', sdk: 'repeated', ours: 'optional'},
  },
]

for (const m of MUTATIONS) {
  test(`the comparison reports ${m.change} as exactly one new mismatch`, async () => {
    const known = new Set((await compareBaseline()).mismatches.map(formatMismatch))
    const dir = mutatedProtoCopy(m.file, m.message, m.from, m.to)
    try {
      const report = await compareWithSdk(dir)
      expect(report.mismatches.filter((x) => !known.has(formatMismatch(x)))).toEqual([m.expected])
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
}
