import {expect, test} from 'bun:test'
import {eventsLineFromStats} from '../../../src/core/filestream/index.ts'
import {parseExtendedJson} from '../../../src/core/json/index.ts'
import {StatsRecord_StatsType, type StatsRecord} from '../../../src/core/proto.ts'

test('a stats record becomes one events line with _wandb, _timestamp, _runtime and system.* keys', () => {
  const record: StatsRecord = {
    stats_type: StatsRecord_StatsType.SYSTEM,
    timestamp: {seconds: 1_700_000_010n, nanos: 500_000_000},
    item: [
      {key: 'cpu', value_json: '12.5'},
      {key: 'gpu.0.temp', value_json: '40'},
      {key: 'broken', value_json: '{nope'},
      {key: 'disk.nan', value_json: 'NaN'},
    ],
  }
  const line = eventsLineFromStats(record, 1_700_000_000_000)
  expect(line).toContain('"system.disk.nan":NaN')
  expect(parseExtendedJson(line)).toEqual({
    _wandb: true,
    _timestamp: 1_700_000_010.5,
    _runtime: 10.5,
    'system.cpu': 12.5,
    'system.gpu.0.temp': 40,
    'system.disk.nan': Number.NaN,
  })
})

test('a record without a timestamp is stamped with the current time', () => {
  const line = eventsLineFromStats({stats_type: StatsRecord_StatsType.SYSTEM, item: []}, 1_000, {nowMs: 3_500})
  expect(JSON.parse(line)).toEqual({_wandb: true, _timestamp: 3.5, _runtime: 2.5})
})
