/** resolveTypes and the Go-shaped JSON of types, schemas and structs. */
import {describe, expect, test} from 'bun:test'
import {asGoMaps, jobJson, resolveTypes} from '../../../src/core/jobs/index.ts'

describe('resolveTypes', () => {
  test('maps, lists, scalars; _wandb keys left out at any depth', () => {
    const t = resolveTypes({a: 1, b: 'x', c: true, d: null, e: {f: 2.5, _wandb: {x: 1}}, _wandb: {runtime: 3}, g: [1, 2, 3]})
    expect(jobJson(t)).toBe(
      '{"wb_type":"typedDict","params":{"type_map":{"a":{"wb_type":"number"},"b":{"wb_type":"string"},"c":{"wb_type":"boolean"},"d":{"wb_type":"none"},' +
        '"e":{"wb_type":"typedDict","params":{"type_map":{"f":{"wb_type":"number"}}}},"g":{"wb_type":"list","params":{"element_type":{"wb_type":"number"},"length":3}}}}}',
    )
  })

  test('an empty list has unknown elements; mixed kinds make a union (sorted by name); nested lists keep the last of a kind', () => {
    expect(resolveTypes([])).toEqual({wb_type: 'list', params: {element_type: {wb_type: 'unknown'}, length: 0}})
    expect(jobJson(resolveTypes(['a', 1, null, 2]))).toBe(
      '{"wb_type":"list","params":{"element_type":{"wb_type":"union","params":{"allowed_types":[{"wb_type":"none"},{"wb_type":"number"},{"wb_type":"string"}]}},"length":4}}',
    )
    expect(resolveTypes([[1], [1, 2]])).toEqual({wb_type: 'list', params: {element_type: {wb_type: 'list', params: {element_type: {wb_type: 'number'}, length: 2}}, length: 2}})
  })

  test('bigints are numbers; values JSON does not have are unknown', () => {
    expect(resolveTypes(10n)).toEqual({wb_type: 'number'})
    expect(resolveTypes(undefined)).toEqual({wb_type: 'unknown'})
    expect(resolveTypes(new Date(0))).toEqual({wb_type: 'unknown'})
  })
})

describe('jobJson', () => {
  test('structs keep field order and drop undefined fields; maps are sorted by code point, numeric-looking keys included', () => {
    expect(
      jobJson({
        z: 1,
        a: undefined,
        m: new Map([
          ['b', 1],
          ['10', 2],
          ['9', 3],
          ['B', 4],
        ]),
      }),
    ).toBe('{"z":1,"m":{"10":2,"9":3,"B":4,"b":1}}')
  })

  test("Go's escaping of <, > and & and its number format", () => {
    expect(jobJson({s: '<a & b>', n: 1e21, f: 0.000001, g: 1e-7})).toBe('{"s":"\\u003ca \\u0026 b\\u003e","n":1e+21,"f":0.000001,"g":1e-7}')
  })

  test('a decoded schema is written as Go re-encodes map[string]any: keys sorted at every depth', () => {
    const schema = asGoMaps(JSON.parse('{"type":"object","properties":{"b":{"type":"integer","maximum":3},"a":{"enum":["x","y"]}}}'))
    expect(jobJson(schema)).toBe('{"properties":{"a":{"enum":["x","y"]},"b":{"maximum":3,"type":"integer"}},"type":"object"}')
  })

  test('refuses values JSON cannot hold', () => {
    expect(() => jobJson({f: () => 1})).toThrow(TypeError)
    expect(() => jobJson({n: Number.NaN})).toThrow(RangeError)
  })
})
