/** filterTree's include/exclude semantics and readConfigFile's formats and errors. */
import {afterEach, describe, expect, test} from 'bun:test'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {filterTree, JobInputError, readConfigFile} from '../../../src/core/jobs/index.ts'

const tree = {model: {name: 'resnet', layers: 18, opt: {lr: 0.1}}, training: {epochs: 10, batch: 32}, empty: {}, top: [1, 2]}

describe('filterTree', () => {
  test('no paths: every leaf, and empty maps disappear', () => {
    expect(filterTree(tree, [], [])).toEqual({model: {name: 'resnet', layers: 18, opt: {lr: 0.1}}, training: {epochs: 10, batch: 32}, top: [1, 2]})
  })

  test('include keeps the subtrees under its prefixes; exclude wins over include', () => {
    expect(filterTree(tree, [['model']], [['model', 'opt']])).toEqual({model: {name: 'resnet', layers: 18}})
    expect(filterTree(tree, [['model', 'opt', 'lr'], ['top']], [])).toEqual({model: {opt: {lr: 0.1}}, top: [1, 2]})
    expect(filterTree(tree, [['model']], [['model']])).toEqual({})
  })

  test('a prefix matches whole keys only, and the input is not changed', () => {
    const copy = structuredClone(tree)
    expect(filterTree(tree, [['mod']], [])).toEqual({})
    expect(filterTree(tree, [], [['training', 'batch']])).toEqual({model: tree.model, training: {epochs: 10}, top: [1, 2]})
    expect(tree).toEqual(copy)
  })
})

describe('readConfigFile', () => {
  let dir = ''
  afterEach(() => {
    rmSync(dir, {recursive: true, force: true})
    dir = ''
  })
  const file = (name: string, text: string) => {
    dir ||= mkdtempSync(join(tmpdir(), 'nexus-jobs-'))
    writeFileSync(join(dir, name), text)
    return join(dir, name)
  }

  test('YAML (.yaml, .yml) and JSON; an empty YAML file is an empty map', () => {
    expect(readConfigFile(file('a.yaml', 'model:\n  layers: 18\n  ok: true\n'))).toEqual({model: {layers: 18, ok: true}})
    expect(readConfigFile(file('b.yml', ''))).toEqual({})
    expect(readConfigFile(file('c.json', '{"x": [1, "a"]}'))).toEqual({x: [1, 'a']})
  })

  test('another extension, bad text, a top level that is not a map, a missing file: JobInputError', () => {
    expect(() => readConfigFile(file('d.toml', 'x = 1'))).toThrow(JobInputError)
    expect(() => readConfigFile(file('e.json', '{nope'))).toThrow(/not valid JSON/)
    expect(() => readConfigFile(file('f.yaml', '- 1\n- 2\n'))).toThrow(/does not hold a map/)
    expect(() => readConfigFile(join(dir, 'missing.yaml'))).toThrow(/cannot read/)
  })
})
