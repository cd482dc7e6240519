import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {SettingsFileSyntaxError} from '../../../src/core/credentials/errors.ts'
import {SettingsFiles, globalSettingsPath, workspaceSettingsPath} from '../../../src/core/credentials/settings-files.ts'
import {TempHome, oracle} from './helpers.ts'

let h: TempHome
beforeEach(() => {
  h = new TempHome()
})
afterEach(() => h.dispose())

function put(path: string, text: string | null): void {
  if (text === null) return
  mkdirSync(dirname(path), {recursive: true})
  writeFileSync(path, text)
}

const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : null)

describe('settings file paths', () => {
  test('the global file is $WANDB_CONFIG_DIR/settings, else ~/.config/wandb/settings', () => {
    expect(globalSettingsPath(h.ctx)).toBe(join(h.configDir, 'settings'))
    expect(globalSettingsPath({...h.ctx, env: {HOME: h.home}})).toBe(join(h.home, '.config', 'wandb', 'settings'))
  })

  test('the workspace file is under WANDB_DIR or the working directory, in .wandb/ when that exists', () => {
    expect(workspaceSettingsPath(h.ctx)).toBe(join(h.work, 'wandb', 'settings'))
    expect(workspaceSettingsPath({...h.ctx, env: {...h.env, WANDB_DIR: h.dir}})).toBe(join(h.dir, 'wandb', 'settings'))
    mkdirSync(join(h.work, '.wandb'))
    expect(workspaceSettingsPath(h.ctx)).toBe(join(h.work, '.wandb', 'settings'))
    expect(workspaceSettingsPath({...h.ctx, env: {...h.env, WANDB_USE_DOT_WANDB: 'false'}})).toBe(join(h.work, 'wandb', 'settings'))
  })
})

describe('SettingsFiles', () => {
  type Op = ['set' | 'clear', string, string | null, boolean]
  const CASES: Array<{global: string | null; workspace: string | null; ops: Op[]}> = [
    {
      global: null,
      workspace: null,
      ops: [
        ['clear', 'anonymous', null, true],
        ['set', 'base_url', 'http://127.0.0.1:8080', true],
      ],
    },
    {
      global: '[default]\nbase_url = http://old:1\nanonymous = true\n\n',
      workspace: '[default]\nbase_url = http://w:2\nmode = offline\n\n',
      ops: [
        ['clear', 'anonymous', null, true],
        ['set', 'base_url', 'http://new:3', true],
      ],
    },
    {global: '[default]\nentity = e\nbase_url = http://old:1\n\n', workspace: null, ops: [['clear', 'base_url', null, true]]},
    {global: null, workspace: '[default]\nmode = offline\n\n', ops: [['clear', 'mode', null, false]]},
    {global: null, workspace: null, ops: [['clear', 'mode', null, false]]},
    {global: null, workspace: '[default]\nentity = e\nproject = p\n\n', ops: [['set', 'mode', 'offline', false]]},
    {global: null, workspace: '[default]\nentity = e\nmode = online\nproject = p\n\n', ops: [['set', 'mode', 'disabled', false]]},
    {global: '[default]\nmode = offline\n\n', workspace: '[default]\n\n', ops: [['set', 'mode', 'online', false]]},
  ]

  test('global set removes the key from the workspace file, like the SDK', () => {
    put(join(h.work, 'wandb', 'settings'), '[default]\nbase_url = http://w:2\n\n')
    const files = SettingsFiles.load(h.ctx)
    files.set('base_url', 'http://g:1', {globally: true})
    const saved = files.save()
    expect(saved.map((c) => [c.key, c.before, c.after])).toEqual([
      ['base_url', 'http://w:2', undefined],
      ['base_url', undefined, 'http://g:1'],
    ])
    expect(SettingsFiles.load(h.ctx).all().get('base_url')).toBe('http://g:1')
  })

  test('refuses a malformed file with its line and writes nothing', () => {
    const path = join(h.configDir, 'settings')
    put(path, '[default]\nbase_url = http://h:1\nbase_url = http://h:2\n')
    expect(() => SettingsFiles.load(h.ctx)).toThrow(SettingsFileSyntaxError)
    expect(() => SettingsFiles.load(h.ctx)).toThrow(expect.objectContaining({path, line: 3}))
    expect(read(path)).toBe('[default]\nbase_url = http://h:1\nbase_url = http://h:2\n')
  })

  test("writes byte for byte what the SDK's SettingsFiles writes, and reads the same settings", async () => {
    const expected = await oracle<{global: string | null; workspace: string | null; all: Record<string, string>}>('settings_edit', CASES)
    const actual = CASES.map((c) => {
      using home = new TempHome()
      const g = join(home.configDir, 'settings')
      const w = join(home.work, 'wandb', 'settings')
      put(g, c.global)
      put(w, c.workspace)
      const files = SettingsFiles.load(home.ctx)
      for (const [op, key, value, globally] of c.ops) {
        if (op === 'set') files.set(key, value!, {globally})
        else files.clear(key, {globally})
      }
      files.save()
      return {global: read(g), workspace: read(w), all: Object.fromEntries(SettingsFiles.load(home.ctx).all())}
    })
    expect(actual).toEqual(expected)
  }, 60_000)
})
