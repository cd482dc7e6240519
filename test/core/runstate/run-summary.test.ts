import {describe, expect, test} from 'bun:test'
import {HistoryItem, SummaryItem, SummaryRecord} from '../../../src/core/proto.ts'
import {MetricSummary, RunHistory, RunSummary, splitEscapedDottedName, SummaryFlag, SummaryUpdates, ValueJsonError} from '../../../src/core/runstate/index.ts'

function row(values: Record<string, string>): RunHistory {
  const h = new RunHistory()
  for (const [key, value_json] of Object.entries(values)) h.setFromItem(HistoryItem.create({key, value_json}))
  return h
}

const record = (update: [string | string[], string][], remove: (string | string[])[] = []) => {
  const item = (k: string | string[]) => (Array.isArray(k) ? {nested_key: k} : {key: k})
  return SummaryRecord.create({
    update: update.map(([k, value_json]) => SummaryItem.create({...item(k), value_json})),
    remove: remove.map((k) => SummaryItem.create(item(k))),
  })
}

describe('MetricSummary', () => {
  test('shows the latest value without flags, and the requested aggregates with them', () => {
    const m = new MetricSummary()
    for (const v of [3, 1, 2]) m.update(v)
    expect(m.shownValue()).toBe(2)
    m.track = SummaryFlag.Last | SummaryFlag.First | SummaryFlag.Min | SummaryFlag.Max | SummaryFlag.Mean
    expect(m.shownValue()).toEqual({last: 2, first: 3, max: 3, min: 1, mean: 2})
  })

  test('shows nothing without data, with summary "none", or when the latest value is null', () => {
    const m = new MetricSummary()
    expect(m.shownValue()).toBeUndefined()
    m.update(null)
    expect(m.shownValue()).toBeUndefined()
    m.track = SummaryFlag.Last
    expect(m.shownValue()).toEqual({last: null})
    m.noSummary = true
    expect(m.shownValue()).toBeUndefined()
  })

  test('non-numbers update latest and first only; the mean of no numbers is NaN', () => {
    const m = new MetricSummary()
    m.track = SummaryFlag.First | SummaryFlag.Mean | SummaryFlag.Max
    m.update('a')
    expect(m.shownValue()).toEqual({first: 'a', max: 0, mean: Number.NaN})
  })

  test('NaN poisons min, max and mean like Go float arithmetic', () => {
    const m = new MetricSummary()
    m.track = SummaryFlag.Min | SummaryFlag.Max | SummaryFlag.Mean
    m.update(1)
    m.update(Number.NaN)
    m.update(2)
    expect(m.shownValue()).toEqual({min: Number.NaN, max: Number.NaN, mean: Number.NaN})
  })
})

describe('RunSummary', () => {
  test('updateFromHistory returns every leaf of the row and update items use nested_key', () => {
    const s = new RunSummary()
    const changed = s.updateFromHistory(row({loss: '1', a: '{"b":2}', n: 'null'}))
    expect(changed).toEqual([['loss'], ['a', 'b'], ['n']])
    expect(s.toUpdateItems(changed)).toEqual([SummaryItem.create({nested_key: ['loss'], value_json: '1'}), SummaryItem.create({nested_key: ['a', 'b'], value_json: '2'})])
  })

  test('an explicit set resets tracked aggregates to the latest value; configuring again brings them back', () => {
    const s = new RunSummary()
    s.configureMetric(['loss'], false, SummaryFlag.Min)
    s.updateFromHistory(row({loss: '1'}))
    s.updateFromHistory(row({loss: '2'}))
    expect(s.get(['loss'])).toEqual({min: 1})
    s.set(['loss'], 10)
    expect(s.get(['loss'])).toBe(10)
    s.updateFromHistory(row({loss: '5'}))
    expect(s.get(['loss'])).toBe(5)
    s.configureMetric(['loss'], false, SummaryFlag.Min)
    expect(s.get(['loss'])).toEqual({min: 1})
  })

  test('an explicit object value stays one value and is not flattened', () => {
    const s = new RunSummary()
    s.applyRecord(record([['obj', '{"k":1,"j":{"z":[1,2]}}']]))
    expect(s.toSummaryItems()).toEqual([SummaryItem.create({key: 'obj', value_json: '{"k":1,"j":{"z":[1,2]}}'})])
    s.applyRecord(record([], [['obj', 'k']]))
    expect(s.get(['obj'])).toEqual({k: 1, j: {z: [1, 2]}})
  })

  test('get_summary items use key for one-label paths and nested_key for deeper ones', () => {
    const s = new RunSummary()
    s.updateFromHistory(row({'a.b': '1', a: '{"c":2}'}))
    expect(s.toSummaryItems()).toEqual([SummaryItem.create({key: 'a.b', value_json: '1'}), SummaryItem.create({nested_key: ['a', 'c'], value_json: '2'})])
  })

  test('removing a metric forgets its value but keeps its definition and accumulators; removing a subtree deletes it', () => {
    const s = new RunSummary()
    s.configureMetric(['m'], false, SummaryFlag.Min | SummaryFlag.First)
    s.updateFromHistory(row({m: '5', t: '{"a":1,"b":2}'}))
    s.remove(['m'])
    s.remove(['t'])
    expect(s.toSummaryItems()).toEqual([])
    s.updateFromHistory(row({m: '7'}))
    expect(s.get(['m'])).toEqual({first: 7, min: 5})
  })

  test('serialize writes the nested summary as extended JSON, NaN and Infinity bare', () => {
    const s = new RunSummary()
    s.updateFromHistory(row({x: 'NaN', n: '{"inf":-Infinity}', s: '"str"'}))
    expect(s.serialize()).toBe('{"x":NaN,"n":{"inf":-Infinity},"s":"str"}')
  })

  test('a summary record applies updates before removes, later items replacing earlier ones in the same tree', () => {
    const s = new RunSummary()
    s.applyRecord(
      record(
        [
          ['a', '1'],
          [['a', 'b'], '2'],
          ['x', '1'],
        ],
        ['x'],
      ),
    )
    expect(s.toNested()).toEqual({a: {b: 2}})
  })

  test('an update whose value is not JSON is reported and the others still apply', () => {
    const s = new RunSummary()
    const errors = s.applyRecord(
      record([
        ['bad', '{'],
        ['good', '1'],
      ]),
    )
    expect(errors.length).toBe(1)
    expect(errors[0]).toBeInstanceOf(ValueJsonError)
    expect(s.toNested()).toEqual({good: 1})
  })

  test('a Sender-side summary fed only the derived records serializes like the Handler summary', () => {
    const handler = new RunSummary()
    const sender = new RunSummary()
    handler.configureMetric(['loss'], false, SummaryFlag.Min | SummaryFlag.Last)
    handler.configureMetric(['hidden'], true, 0)
    for (const r of [row({loss: '3', hidden: '1', a: '{"b":NaN}'}), row({loss: '1', a: '{"c":"x"}'})]) {
      const items = handler.toUpdateItems(handler.updateFromHistory(r))
      sender.applyRecord(SummaryRecord.create({update: items}))
    }
    const explicit = record([['extra', '[1,2]']], [['a', 'c']])
    handler.applyRecord(explicit)
    sender.applyRecord(explicit)
    expect(sender.serialize()).toBe(handler.serialize())
    expect(JSON.parse(handler.serialize().replace('NaN', 'null'))).toEqual({loss: {last: 1, min: 1}, a: {b: null}, extra: [1, 2]})
  })
})

describe('SummaryUpdates', () => {
  test('merging later changes equals applying both records in order', () => {
    const first = record(
      [
        ['a', '1'],
        ['b', '2'],
      ],
      ['c'],
    )
    const second = record(
      [
        ['c', '3'],
        ['a', '4'],
      ],
      ['b'],
    )
    const sequential = new RunSummary()
    sequential.applyRecord(first)
    sequential.applyRecord(second)
    const merged = SummaryUpdates.fromRecord(first)
    merged.merge(SummaryUpdates.fromRecord(second))
    const once = new RunSummary()
    merged.applyTo(once)
    expect(once.toNested()).toEqual(sequential.toNested())
    expect(once.toNested()).toEqual({a: 4, c: 3})
  })

  test('a remove cancels a pending update at its path and below', () => {
    const u = SummaryUpdates.fromRecord(
      record(
        [
          [['p', 'q'], '1'],
          ['r', '2'],
        ],
        ['p'],
      ),
    )
    const s = new RunSummary()
    u.applyTo(s)
    expect(s.toNested()).toEqual({r: 2})
    expect(SummaryUpdates.fromRecord(record([])).isEmpty()).toBe(true)
    expect(u.isEmpty()).toBe(false)
  })
})

describe('splitEscapedDottedName', () => {
  test('splits on unescaped dots, keeps escaped ones and other backslashes, drops empty trailing parts', () => {
    expect(splitEscapedDottedName('a.b')).toEqual(['a', 'b'])
    expect(splitEscapedDottedName('a\\.b.c')).toEqual(['a.b', 'c'])
    expect(splitEscapedDottedName('a\\b')).toEqual(['a\\b'])
    expect(splitEscapedDottedName('a.')).toEqual(['a'])
    expect(splitEscapedDottedName('.a..b')).toEqual(['', 'a', '', 'b'])
    expect(splitEscapedDottedName('end\\')).toEqual(['end'])
    expect(splitEscapedDottedName('café.☕')).toEqual(['café', '☕'])
  })
})
