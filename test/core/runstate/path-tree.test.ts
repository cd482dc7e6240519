import {describe, expect, test} from 'bun:test'
import {isJsonObject, PathTree, setSubtree} from '../../../src/core/runstate/index.ts'

describe('PathTree', () => {
  test('a label containing dots is one label, never split', () => {
    const tree = new PathTree<number>()
    tree.set(['a.b'], 1)
    tree.set(['a', 'b'], 2)
    expect(tree.getLeaf(['a.b'])).toBe(1)
    expect(tree.getLeaf(['a', 'b'])).toBe(2)
    expect(tree.toNested()).toEqual({'a.b': 1, a: {b: 2}})
  })

  test('setting below a leaf turns the leaf into a subtree, and setting on a subtree replaces it with a leaf', () => {
    const tree = new PathTree<number>()
    tree.set(['a'], 1)
    tree.set(['a', 'b', 'c'], 2)
    expect(tree.hasLeaf(['a'])).toBe(false)
    expect(tree.toNested()).toEqual({a: {b: {c: 2}}})
    tree.set(['a'], 3)
    expect(tree.toNested()).toEqual({a: 3})
    expect(tree.hasNode(['a', 'b'])).toBe(false)
  })

  test('getOrMakeLeaf keeps an existing leaf and replaces a subtree with a new one', () => {
    const tree = new PathTree<string[]>()
    const made = tree.getOrMakeLeaf(['x'], () => ['new'])
    made.push('kept')
    expect(tree.getOrMakeLeaf(['x'], () => ['other'])).toEqual(['new', 'kept'])
    tree.set(['s', 't'], ['deep'])
    expect(tree.getOrMakeLeaf(['s'], () => ['leaf'])).toEqual(['leaf'])
    expect(tree.hasNode(['s', 't'])).toBe(false)
  })

  test('remove deletes a leaf or a subtree and prunes parents it leaves empty, but not non-empty ones', () => {
    const tree = new PathTree<number>()
    tree.set(['a', 'b', 'c'], 1)
    tree.set(['a', 'd'], 2)
    tree.set(['x', 'y', 'z'], 3)
    tree.remove(['a', 'b', 'c'])
    expect(tree.toNested()).toEqual({a: {d: 2}, x: {y: {z: 3}}})
    tree.remove(['x', 'y', 'z'])
    expect(tree.hasNode(['x'])).toBe(false)
    tree.remove(['a'])
    expect(tree.isEmpty()).toBe(true)
  })

  test('removing a missing path, or a path through a leaf, changes nothing', () => {
    const tree = new PathTree<number>()
    tree.set(['a'], 1)
    tree.remove(['a', 'b'])
    tree.remove(['zz'])
    expect(tree.toNested()).toEqual({a: 1})
  })

  test('leaves come depth-first in insertion order with full paths, and an overwrite keeps its position', () => {
    const tree = new PathTree<number>()
    tree.set(['b'], 1)
    tree.set(['a', 'y'], 2)
    tree.set(['a', 'x'], 3)
    tree.set(['c'], 4)
    tree.set(['b'], 5)
    expect([...tree.leaves()]).toEqual([
      [['b'], 5],
      [['a', 'y'], 2],
      [['a', 'x'], 3],
      [['c'], 4],
    ])
  })

  test('toNested can map leaves and drops leaves mapped to undefined along with emptied parents', () => {
    const tree = new PathTree<number>()
    tree.set(['keep'], 1)
    tree.set(['gone', 'deep'], -1)
    expect(tree.toNested((v) => (v < 0 ? undefined : v * 10))).toEqual({keep: 10})
  })

  test('a "__proto__" label is stored and serialized as an ordinary key', () => {
    const tree = new PathTree<number>()
    tree.set(['__proto__', 'x'], 1)
    const nested = tree.toNested()
    expect(Object.keys(nested)).toEqual(['__proto__'])
    expect(JSON.stringify(nested)).toBe('{"__proto__":{"x":1}}')
    expect(Object.getPrototypeOf(nested)).toBe(Object.prototype)
  })

  test('an empty path is rejected', () => {
    expect(() => new PathTree<number>().set([], 1)).toThrow(RangeError)
  })
})

describe('setSubtree', () => {
  test('deep-merges nested objects, keeps siblings, adds nothing for {} and stores arrays as leaves', () => {
    const tree = new PathTree<unknown>()
    tree.set(['opt', 'name'], 'adam')
    setSubtree(tree, ['opt'], {beta: {b1: 0.9}, empty: {}, list: [1, {a: 2}]})
    expect(tree.toNested()).toEqual({opt: {name: 'adam', beta: {b1: 0.9}, list: [1, {a: 2}]}})
  })

  test('isJsonObject accepts only non-null, non-array objects', () => {
    expect([isJsonObject({}), isJsonObject([]), isJsonObject(null), isJsonObject('x')]).toEqual([true, false, false, false])
  })
})
