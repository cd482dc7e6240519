import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {SettingsFileSyntaxError} from '../../../src/core/credentials/errors.ts'
import {setWorkspaceMode} from '../../../src/core/credentials/mode.ts'
import {TempHome} from './helpers.ts'

let h: TempHome
beforeEach(() => {
  h = new TempHome()
})
afterEach(() => h.dispose())

const workspace = () => join(h.work, 'wandb', 'settings')

describe('setWorkspaceMode', () => {
  test('offline, online, disabled and enabled leave the values the SDK commands leave', () => {
    setWorkspaceMode('offline', h.ctx)
    expect(readFileSync(workspace(), 'utf8')).toBe('[default]\nmode = offline\n\n')
    setWorkspaceMode('online', h.ctx)
    expect(readFileSync(workspace(), 'utf8')).toBe('[default]\n\n')
    setWorkspaceMode('disabled', h.ctx)
    expect(readFileSync(workspace(), 'utf8')).toBe('[default]\nmode = disabled\n\n')
    setWorkspaceMode('enabled', h.ctx)
    expect(readFileSync(workspace(), 'utf8')).toBe('[default]\nmode = online\n\n')
  })

  test('prints what changed, with the previous value', () => {
    setWorkspaceMode('disabled', h.ctx)
    const r = setWorkspaceMode('offline', h.ctx)
    expect(r).toMatchObject({before: 'disabled', after: 'offline'})
    expect(r.lines).toContain(`Updated settings file ${workspace()}: mode = offline (was: disabled)`)
  })

  test('does not create a file when online has nothing to remove, and says so', () => {
    const r = setWorkspaceMode('online', h.ctx)
    expect(r.change).toBeUndefined()
    expect(existsSync(workspace())).toBe(false)
    expect(r.lines[1]).toBe(`No change: ${workspace()} sets no mode.`)
  })

  test('keeps the other keys of the workspace file', () => {
    mkdirSync(join(h.work, 'wandb'))
    writeFileSync(workspace(), '[default]\nentity = team\nproject = p\n\n')
    setWorkspaceMode('offline', h.ctx)
    expect(readFileSync(workspace(), 'utf8')).toBe('[default]\nentity = team\nproject = p\nmode = offline\n\n')
  })

  test('notes a global offline mode and a WANDB_MODE that still apply', () => {
    mkdirSync(h.configDir)
    writeFileSync(join(h.configDir, 'settings'), '[default]\nmode = offline\n')
    const r = setWorkspaceMode('online', {...h.ctx, env: {...h.env, WANDB_MODE: 'disabled'}})
    expect(r.lines.some((l) => l.startsWith('Note: WANDB_MODE=disabled'))).toBe(true)
    expect(r.lines.some((l) => l.includes('global settings file') && l.includes('mode = offline'))).toBe(true)
  })

  test('uses .wandb/settings when the workspace has a .wandb folder', () => {
    mkdirSync(join(h.work, '.wandb'))
    expect(setWorkspaceMode('offline', h.ctx).path).toBe(join(h.work, '.wandb', 'settings'))
  })

  test('refuses a malformed workspace file, leaving it untouched', () => {
    mkdirSync(join(h.work, 'wandb'))
    writeFileSync(workspace(), '[default]\nmode\n')
    expect(() => setWorkspaceMode('offline', h.ctx)).toThrow(SettingsFileSyntaxError)
    expect(readFileSync(workspace(), 'utf8')).toBe('[default]\nmode\n')
  })
})
