import {describe, expect, test} from 'bun:test'
import {ConfigItem, ConfigRecord, EnvironmentRecord, MapStringKeyStringValue, MetricRecord, Record as PbRecord, TelemetryRecord} from '../../../src/core/proto.ts'
import {mergeTelemetry, protoEncodeToDict, protoMerge} from '../../../src/core/runstate/index.ts'
import {metric} from './fixtures/go-cases.ts'

describe('mergeTelemetry', () => {
  test('set scalars overwrite; false, 0 and "" never clear a value; sub-messages merge', () => {
    const acc = TelemetryRecord.create({python_version: '3.10', feature: {metric: true}, label: {code_string: 'c'}})
    mergeTelemetry(acc, TelemetryRecord.create({python_version: '3.11', cli_version: '', feature: {metric: false, offline: true}}))
    mergeTelemetry(acc, TelemetryRecord.create({label: {repo_string: 'r'}, imports_init: {torch: true}}))
    expect(TelemetryRecord.toJson(acc)).toEqual({
      pythonVersion: '3.11',
      feature: {metric: true, offline: true},
      label: {codeString: 'c', repoString: 'r'},
      importsInit: {torch: true},
    })
  })

  test('a merged-in sub-message is copied, not shared', () => {
    const acc = TelemetryRecord.create()
    const from = TelemetryRecord.create({feature: {offline: true}})
    mergeTelemetry(acc, from)
    from.feature!.finish = true
    expect(acc.feature?.finish).toBe(false)
  })
})

describe('protoMerge', () => {
  test('appends repeated fields', () => {
    const into = ConfigRecord.create({update: [ConfigItem.create({key: 'a'})]})
    protoMerge(ConfigRecord, into, ConfigRecord.create({update: [ConfigItem.create({key: 'b'})], remove: [ConfigItem.create({key: 'c'})]}))
    expect(into.update.map((i) => i.key)).toEqual(['a', 'b'])
    expect(into.remove.map((i) => i.key)).toEqual(['c'])
  })

  test('overwrites map entries by key and keeps the others', () => {
    const into = MapStringKeyStringValue.create({value: {a: '1', b: '2'}})
    protoMerge(MapStringKeyStringValue, into, MapStringKeyStringValue.create({value: {b: '3', c: '4'}}))
    expect(into.value).toEqual({a: '1', b: '3', c: '4'})
  })

  test("copies message values of map fields (an EnvironmentRecord's disk map)", () => {
    const into = EnvironmentRecord.create({disk: {'/': {total: 10n, used: 1n}}})
    const from = EnvironmentRecord.create({disk: {'/data': {total: 20n, used: 2n}}, cpu_count: 2})
    protoMerge(EnvironmentRecord, into, from)
    expect(EnvironmentRecord.toJson(into)).toEqual({disk: {'/': {total: '10', used: '1'}, '/data': {total: '20', used: '2'}}, cpu_count: 2})
    from.disk['/data'].used = 3n
    expect(into.disk['/data'].used).toBe(2n)
  })

  test('takes the source oneof case, merging when both hold the same message case', () => {
    const into = PbRecord.create({record_type: {oneofKind: 'metric', metric: metric('a', {summary: 'min'})}})
    protoMerge(PbRecord, into, PbRecord.create({record_type: {oneofKind: 'metric', metric: MetricRecord.create({step_metric: 's'})}}))
    expect(into.record_type.oneofKind === 'metric' && [into.record_type.metric.name, into.record_type.metric.step_metric]).toEqual(['a', 's'])
    protoMerge(PbRecord, into, PbRecord.create({record_type: {oneofKind: 'config', config: ConfigRecord.create()}}))
    expect(into.record_type.oneofKind).toBe('config')
  })
})

describe('protoEncodeToDict', () => {
  test('encodes strings, int32s and enums by field number and bool sub-messages as lists of true fields', () => {
    const m = metric('loss', {step: 'epoch', sync: true, summary: 'min,first', goal: 2})
    m.step_metric_index = 3
    m.expanded_from_glob = true
    expect(protoEncodeToDict(MetricRecord, m)).toEqual({'1': 'loss', '4': 'epoch', '5': 3, '6': [1, 3], '7': [1, 8], '8': 2})
  })

  test('skips fields named with a leading underscore, bools, and unset or zero fields', () => {
    const t = TelemetryRecord.create({_info: {stream_id: 'x'}, cli_version: '', env: {}})
    expect(protoEncodeToDict(TelemetryRecord, t)).toEqual({'8': []})
  })

  test('encodes a sub-message that is not all bools as a dict of its string fields', () => {
    const t = TelemetryRecord.create({label: {code_string: 'c', code_version: 'v'}})
    expect(protoEncodeToDict(TelemetryRecord, t)).toEqual({'9': {'1': 'c', '3': 'v'}})
  })
})
