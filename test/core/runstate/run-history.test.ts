import {describe, expect, test} from 'bun:test'
import {HistoryItem, HistoryRecord, HistoryStep} from '../../../src/core/proto.ts'
import {historyItemValue, historyRecordToJsonLine, HistoryItemError, RunHistory} from '../../../src/core/runstate/index.ts'

const json = (key: string, value_json: string) => HistoryItem.create({key, value_json})

describe('RunHistory.setFromItem', () => {
  test('JSON objects are flattened into nested leaves; arrays, strings, null and booleans are leaves', () => {
    const h = new RunHistory()
    h.setFromItem(json('a', '{"b":1,"c":{"d":"s"},"e":[1,{"f":2}],"n":null,"t":true}'))
    expect([...h.leaves()]).toEqual([
      [['a', 'b'], 1],
      [['a', 'c', 'd'], 's'],
      [
        ['a', 'e'],
        [1, {f: 2}],
      ],
      [['a', 'n'], null],
      [['a', 't'], true],
    ])
  })

  test('an empty object logs nothing', () => {
    const h = new RunHistory()
    h.setFromItem(json('empty', '{}'))
    h.setFromItem(json('nested', '{"also":{}}'))
    expect(h.isEmpty()).toBe(true)
  })

  test('a key with dots is one label; nested_key takes precedence over key', () => {
    const h = new RunHistory()
    h.setFromItem(json('a.b', '1'))
    h.setFromItem(HistoryItem.create({key: 'ignored', nested_key: ['x', 'y.z'], value_json: '2'}))
    expect(h.toNested()).toEqual({'a.b': 1, x: {'y.z': 2}})
  })

  test('later values for the same path win, and a scalar replaces an earlier nested object', () => {
    const h = new RunHistory()
    h.setFromItem(json('a', '{"b":1}'))
    h.setFromItem(json('k', '1'))
    h.setFromItem(json('k', '2'))
    h.setFromItem(json('a', '5'))
    expect(h.toNested()).toEqual({a: 5, k: 2})
  })

  test('an item without key or nested_key is rejected with a HistoryItemError and changes nothing', () => {
    const h = new RunHistory()
    const err = h.setFromItem(json('', '1'))
    expect(err).toBeInstanceOf(HistoryItemError)
    expect(h.isEmpty()).toBe(true)
  })

  test('an item whose value is not JSON is rejected without affecting the others', () => {
    const h = new RunHistory()
    expect(h.setFromItem(json('bad', 'not json'))).toBeInstanceOf(HistoryItemError)
    expect(h.setFromItem(json('empty', ''))).toBeInstanceOf(HistoryItemError)
    expect(h.setFromItem(json('good', '3'))).toBeUndefined()
    expect(h.toNested()).toEqual({good: 3})
  })

  test('the typed value is used when set, value_json otherwise', () => {
    const h = new RunHistory()
    h.setFromItem(HistoryItem.create({key: 'i', value: {oneofKind: 'integer', integer: 7n}, value_json: '999'}))
    h.setFromItem(HistoryItem.create({key: 'n', value: {oneofKind: 'number', number: Number.NaN}}))
    h.setFromItem(HistoryItem.create({key: 't', value: {oneofKind: 'text', text: 'café'}}))
    h.setFromItem(HistoryItem.create({key: 'b', value: {oneofKind: 'boolean', boolean: false}}))
    h.setFromItem(HistoryItem.create({key: 'z', value: {oneofKind: 'none', none: 0}}))
    h.setFromItem(HistoryItem.create({key: 'j', value: {oneofKind: 'json', json: '{"x":[1],"y":Infinity}'}}))
    h.setFromItem(json('legacy', '4'))
    expect(h.toNested()).toEqual({i: 7, n: Number.NaN, t: 'café', b: false, z: null, j: {x: [1], y: Number.POSITIVE_INFINITY}, legacy: 4})
  })

  test('a typed int64 beyond double precision keeps every digit', () => {
    const h = new RunHistory()
    h.setFromItem(HistoryItem.create({key: 'big', value: {oneofKind: 'integer', integer: 9007199254740993n}}))
    expect(historyItemValue(HistoryItem.create({value: {oneofKind: 'integer', integer: -9007199254740993n}}))).toBe(-9007199254740993n)
    expect(h.toHistoryItems()[0].value_json).toBe('9007199254740993')
    expect(h.getNumber(['big'])).toBe(9007199254740992)
  })
})

describe('RunHistory output', () => {
  test('history items use nested_key for every leaf, top-level ones included', () => {
    const h = new RunHistory()
    h.setFromItem(json('loss', '0.5'))
    h.setFromItem(json('a', '{"b":2}'))
    expect(h.toHistoryItems()).toEqual([HistoryItem.create({nested_key: ['loss'], value_json: '0.5'}), HistoryItem.create({nested_key: ['a', 'b'], value_json: '2'})])
  })

  test('NaN and ±Infinity round-trip as bare literals in items and in the file_stream line', () => {
    const h = new RunHistory()
    h.setFromItem(json('nan', 'NaN'))
    h.setFromItem(json('inf', 'Infinity'))
    h.setFromItem(json('n', '{"ninf":-Infinity}'))
    expect(h.toHistoryItems().map((i) => i.value_json)).toEqual(['NaN', 'Infinity', '-Infinity'])
    expect(h.toFileStreamLine()).toBe('{"nan":NaN,"inf":Infinity,"n":{"ninf":-Infinity}}')
  })

  test('toRecord sets the step only when one is given', () => {
    const h = new RunHistory()
    h.setNumber(['_step'], 3)
    expect(h.toRecord(3n).step).toEqual(HistoryStep.create({num: 3n}))
    expect(h.toRecord().step).toBeUndefined()
  })

  test('getNumber and contains see leaves only', () => {
    const h = new RunHistory()
    h.setFromItem(json('a', '{"b":1}'))
    h.setFromItem(json('s', '"x"'))
    expect([h.getNumber(['a', 'b']), h.getNumber(['s']), h.getNumber(['a'])]).toEqual([1, undefined, undefined])
    expect([h.contains(['a', 'b']), h.contains(['a'])]).toEqual([true, false])
  })

  test('historyRecordToJsonLine rebuilds the nested object of a derived record and skips unreadable items', () => {
    const record = HistoryRecord.create({
      item: [
        HistoryItem.create({nested_key: ['_step'], value_json: '2'}),
        HistoryItem.create({nested_key: ['a', 'b'], value_json: 'NaN'}),
        HistoryItem.create({nested_key: ['a', 'c'], value_json: '"s"'}),
        HistoryItem.create({nested_key: ['bad'], value_json: '{'}),
      ],
    })
    const errors: HistoryItemError[] = []
    expect(historyRecordToJsonLine(record, (e) => errors.push(e))).toBe('{"_step":2,"a":{"b":NaN,"c":"s"}}')
    expect(errors.length).toBe(1)
  })

  test('historyRecordToJsonLine: the flat fast path writes what the tree writes, and odd shapes still take the tree', () => {
    const item = (key: string[] | string, value_json: string) => (typeof key === 'string' ? HistoryItem.create({key, value_json}) : HistoryItem.create({nested_key: key, value_json}))
    const shapes: HistoryItem[][] = [
      [
        item(['_step'], '3'),
        item(['loss'], '0.25'),
        item('acc', '1.0'),
        item(['big'], '1e21'),
        item(['neg'], '-0'),
        item(['inf'], '-Infinity'),
        item(['s'], '"a\\u00e9"'),
        item(['arr'], '[1,{"x":2}]'),
        item(['__proto__'], '1'),
      ],
      [item(['a'], '1'), item(['a'], '2')], // a key twice: the tree keeps the first position, the last value
      [item(['o'], '{"x":{"y":1},"z":[]}'), item(['p'], '2')], // an object value: flattened and re-nested
      [item(['o'], '{}'), item(['q'], 'null')], // an empty object leaves nothing
      [item(['a', 'b'], '1'), item(['c'], '2')],
      [item(['x'], '1'), item(['bad'], '{')],
      [HistoryItem.create({nested_key: ['typed'], value: {oneofKind: 'number', number: 0.5}}), item(['t'], 'true')],
      [],
    ]
    for (const items of shapes) {
      const record = HistoryRecord.create({item: items})
      expect(historyRecordToJsonLine(record)).toBe(RunHistory.fromItems(items).toFileStreamLine())
    }
    expect(historyRecordToJsonLine(HistoryRecord.create({item: shapes[0]}))).toBe('{"_step":3,"loss":0.25,"acc":1,"big":1e+21,"neg":0,"inf":-Infinity,"s":"aé","arr":[1,{"x":2}],"__proto__":1}')
  })
})
