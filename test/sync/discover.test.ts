import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {defaultWandbDir, discoverTargets, parseTagReplacements, SyncError} from '../../src/sync/index.ts'

let root: string
beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'discover-')))
  for (const [dir, id] of [
    ['offline-run-20260101_000000-aaa', 'aaa'],
    ['offline-run-20260102_000000-bbb', 'bbb'],
    ['run-20260103_000000-ccc', 'ccc'],
  ]) {
    mkdirSync(join(root, 'wandb', dir), {recursive: true})
    writeFileSync(join(root, 'wandb', dir, `run-${id}.wandb`), ':W&B')
  }
  writeFileSync(join(root, 'wandb', 'offline-run-20260102_000000-bbb', 'run-bbb.wandb.synced'), '')
  symlinkSync('offline-run-20260102_000000-bbb', join(root, 'wandb', 'latest-run'))
})
afterEach(() => rmSync(root, {recursive: true, force: true}))

const names = (t: {file: string}[]) => t.map((x) => x.file.replace(`${root}/`, ''))

describe('finding runs to sync', () => {
  test('a wandb/ directory means its runs, each once (latest-run is not a second copy); online ones are marked', () => {
    const t = discoverTargets(['wandb'], root)
    expect(names(t)).toEqual(['wandb/offline-run-20260101_000000-aaa/run-aaa.wandb', 'wandb/offline-run-20260102_000000-bbb/run-bbb.wandb', 'wandb/run-20260103_000000-ccc/run-ccc.wandb'])
    expect(t.map((x) => x.synced)).toEqual([false, true, false])
    expect(t.map((x) => x.online)).toEqual([false, false, true])
  })

  test('without paths: WANDB_DIR (else the current directory) /wandb, or .wandb where only that exists', () => {
    expect(defaultWandbDir({}, root)).toBe(join(root, 'wandb'))
    expect(defaultWandbDir({WANDB_DIR: 'elsewhere'}, root)).toBe(join(root, 'elsewhere', 'wandb'))
    mkdirSync(join(root, 'hidden', '.wandb'), {recursive: true})
    expect(defaultWandbDir({WANDB_DIR: join(root, 'hidden')}, root)).toBe(join(root, 'hidden', '.wandb'))
  })

  test('--replace-tags: pairs old=new, an empty new name removes the tag, a pair without = is refused', () => {
    expect(parseTagReplacements(undefined)).toBeUndefined()
    expect(parseTagReplacements('a=b, c = ,d=e=f')).toEqual({a: 'b', c: '', d: 'e=f'})
    expect(() => parseTagReplacements('a=b,c')).toThrow(SyncError)
  })

  test('run directories, .wandb files and globs are accepted and deduplicated', () => {
    const t = discoverTargets(['wandb/offline-run-*', 'wandb/run-20260103_000000-ccc', 'wandb/offline-run-20260101_000000-aaa/run-aaa.wandb', 'wandb/latest-run'], root)
    expect(names(t)).toEqual(['wandb/offline-run-20260101_000000-aaa/run-aaa.wandb', 'wandb/offline-run-20260102_000000-bbb/run-bbb.wandb', 'wandb/run-20260103_000000-ccc/run-ccc.wandb'])
  })

  test('a missing path or a directory without runs is a usage error that names it', () => {
    expect(() => discoverTargets(['nope'], root)).toThrow(SyncError)
    expect(() => discoverTargets(['nope'], root)).toThrow(/nope/)
    mkdirSync(join(root, 'empty'))
    const err = (() => {
      try {
        discoverTargets(['empty'], root)
      } catch (e) {
        return e as SyncError
      }
    })()
    expect(err?.userText).toMatch(/^No runs found at empty/)
    expect(err?.exitCode).toBe(2)
  })
})
