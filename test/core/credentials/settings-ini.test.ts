import {describe, expect, test} from 'bun:test'
import {IniSyntaxError, SettingsIni} from '../../../src/core/credentials/settings-ini.ts'

function syntaxError(text: string): IniSyntaxError {
  try {
    new SettingsIni(text)
  } catch (err) {
    if (err instanceof IniSyntaxError) return err
    throw err
  }
  throw new Error('expected an IniSyntaxError')
}

describe('SettingsIni reading', () => {
  test('reads [default] keys case-insensitively with = or : and surrounding spaces trimmed', () => {
    const ini = new SettingsIni('[default]\nBase_URL : http://h:1 \nmode=offline\n')
    expect(ini.get('base_url')).toBe('http://h:1')
    expect(ini.get('MODE')).toBe('offline')
  })

  test('ignores other sections and comment lines, and uses [DEFAULT] as fallback', () => {
    const ini = new SettingsIni('# top\n[DEFAULT]\nproject = p\n[other]\nmode = x\n[default]\n; note\nentity = e\n')
    expect([...ini.entries()]).toEqual([
      ['project', 'p'],
      ['entity', 'e'],
    ])
  })

  test('joins indented continuation lines into one value', () => {
    expect(new SettingsIni('[default]\nignore_globs = a,\n  b\n').get('ignore_globs')).toBe('a,\nb')
  })

  test('reads %% as a percent sign', () => {
    expect(new SettingsIni('[default]\nbase_url = http://h/%%7E\n').get('base_url')).toBe('http://h/%7E')
  })

  test('rejects what configparser rejects, naming the line', () => {
    expect(syntaxError('mode = offline\n').line).toBe(1)
    expect(syntaxError('[default]\nmode = offline\n\njust words\n').line).toBe(4)
    expect(syntaxError('[default]\nmode = a\nMODE = b\n')).toMatchObject({line: 3, reason: expect.stringContaining('twice')})
    expect(syntaxError('[default]\n[x]\n[default]\n').line).toBe(3)
    expect(syntaxError('[default]\nbase_url = 100%\n').line).toBe(2)
  })
})

describe('SettingsIni editing', () => {
  test('creates the [default] section in an empty file as the SDK writes it', () => {
    const ini = new SettingsIni('')
    expect(ini.set('mode', 'offline')).toBe(true)
    expect(ini.toString()).toBe('[default]\nmode = offline\n\n')
  })

  test('rewrites only the line of the key it sets, keeping comments and other sections', () => {
    const text = '# my settings\n[default]\nentity = e # not a comment\nmode: online\n\n[other]\nmode = x\n'
    const ini = new SettingsIni(text)
    ini.set('mode', 'offline')
    expect(ini.toString()).toBe('# my settings\n[default]\nentity = e # not a comment\nmode = offline\n\n[other]\nmode = x\n')
  })

  test('adds a new key after the last key of [default], not at the end of the file', () => {
    const ini = new SettingsIni('[default]\nentity = e\n\n[other]\nk = v\n')
    ini.set('base_url', 'http://h:1')
    expect(ini.toString()).toBe('[default]\nentity = e\nbase_url = http://h:1\n\n[other]\nk = v\n')
  })

  test('deletes a key together with its continuation lines', () => {
    const ini = new SettingsIni('[default]\nignore_globs = a,\n  b\nmode = offline\n\n')
    expect(ini.delete('ignore_globs')).toBe(true)
    expect(ini.toString()).toBe('[default]\nmode = offline\n\n')
    expect(ini.delete('ignore_globs')).toBe(false)
  })

  test('reports no change when the value is already set, and escapes % on write', () => {
    const ini = new SettingsIni('[default]\nmode = offline\n')
    expect(ini.set('mode', 'offline')).toBe(false)
    ini.set('base_url', 'http://h/%7E')
    expect(ini.toString()).toBe('[default]\nmode = offline\nbase_url = http://h/%%7E\n')
    expect(new SettingsIni(ini.toString()).get('base_url')).toBe('http://h/%7E')
  })

  test('puts the [default] section first when the file only has other sections', () => {
    const ini = new SettingsIni('[other]\nk = v\n')
    ini.set('mode', 'offline')
    expect(ini.toString()).toBe('[default]\nmode = offline\n\n[other]\nk = v\n')
  })

  test('keeps CRLF line endings', () => {
    const ini = new SettingsIni('[default]\r\nentity = e\r\n')
    ini.set('mode', 'offline')
    expect(ini.toString()).toBe('[default]\r\nentity = e\r\nmode = offline\r\n')
  })
})
