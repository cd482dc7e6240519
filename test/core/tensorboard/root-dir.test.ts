/** Root directories: trimming, the guess from several log directories (with its timeout), file naming. */
import {describe, expect, test} from 'bun:test'
import {isLocalPath, longestCommonPrefix, prefixFileNamer, RootDir, RootDirError, rootDirFileNamer, RootDirGuesser} from '../../../src/core/tensorboard/index.ts'
import {ManualClock} from '../../fakes/manual-clock.ts'

describe('RootDir', () => {
  test('trims itself and the following slashes from a path under it', () => {
    expect(new RootDir('/a/tb').trimFrom('/a/tb/train/x')).toBe('train/x')
    expect(new RootDir('/a/tb').trimFrom('/a/tb')).toBe('')
    expect(new RootDir('').trimFrom('/a/b')).toBe('a/b')
  })

  test('compares characters, not path components, as Go does', () => {
    expect(new RootDir('/a/tb').trimFrom('/a/tb2/x')).toBe('2/x')
  })

  test('refuses a path that is not under it', () => {
    expect(() => new RootDir('/a/tb').trimFrom('/b/x')).toThrow(RootDirError)
  })

  test('an explicit root is made absolute against the working directory', () => {
    expect(RootDir.explicit('logs/../tb', '/work').prefix).toBe('/work/tb')
    expect(RootDir.explicit('/abs/tb/', '/work').prefix).toBe('/abs/tb')
  })
})

describe('RootDirGuesser', () => {
  test('guesses the longest common path once there are two log directories', async () => {
    const g = new RootDirGuesser(new ManualClock())
    g.add('/x/tb/train')
    const waiting = g.root(10_000)
    g.add('/x/tb/validation')
    expect((await waiting)?.prefix).toBe('/x/tb')
    g.add('/y')
    expect((await g.root(0))?.prefix).toBe('/x/tb')
  })

  test('gives up after the timeout when no second directory comes', async () => {
    const clock = new ManualClock()
    const g = new RootDirGuesser(clock)
    g.add('/x/tb/train')
    const waiting = g.root(10_000)
    await clock.advance(9_999)
    let settled = false
    void waiting.then(() => (settled = true))
    await clock.advance(0)
    expect(settled).toBe(false)
    await clock.advance(1)
    expect(await waiting).toBeUndefined()
  })

  test('answers at once after giveUp (no more directories can come)', async () => {
    const clock = new ManualClock()
    const g = new RootDirGuesser(clock)
    g.add('/x/tb/train')
    const waiting = g.root(10_000)
    g.giveUp()
    expect(await waiting).toBeUndefined()
    expect(await g.root(10_000)).toBeUndefined()
    expect(clock.sleeping).toBe(0)
  })
})

describe('file naming', () => {
  test('the root namer keeps the path under the root; the prefix namer keeps the file name', () => {
    expect(rootDirFileNamer(new RootDir('/x/tb'))('/x/tb/train/events.out.tfevents.1.h')).toBe('train/events.out.tfevents.1.h')
    expect(prefixFileNamer('tb_logs')('/x/tb/train/events.out.tfevents.1.h')).toBe('tb_logs/events.out.tfevents.1.h')
    expect(() => rootDirFileNamer(undefined)('/x')).toThrow('no root directory')
  })

  test('only paths that stay inside the files directory are local', () => {
    expect(['a', 'a/b', './a', 'a/../b'].map(isLocalPath)).toEqual([true, true, true, true])
    expect(['', '/a', '..', '../a', 'a/../../b'].map(isLocalPath)).toEqual([false, false, false, false, false])
  })

  test('the common prefix is made of whole components', () => {
    expect(longestCommonPrefix(['/a/bc/d', '/a/bcd/e'])).toBe('/a')
    expect(longestCommonPrefix(['/a/b', '/a/b/c'])).toBe('/a/b')
    expect(longestCommonPrefix(['/a'])).toBe('/a')
  })
})
