/**
 * Sweep paths and where a new sweep goes: parse_sweep_id, the entity/project precedence of
 * `wandb sweep`, the git-based project name, the sweep URL and the agent path, checked against
 * wandb 0.31's own functions where it has them.
 */
import {afterAll, describe, expect, test} from 'bun:test'
import {mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {
  SweepConfigError,
  SweepIdError,
  agentPath,
  autoProjectName,
  gitRoot,
  parseSweepConfig,
  parseSweepPath,
  pyQuote,
  pyRepr,
  resolveDestination,
  settingsDefaults,
  sweepUrl,
  violationLines,
} from '../../../src/core/sweeps/index.ts'
import {wandbSweepOracle} from './helpers.ts'

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'nexus-sweep-target-')))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('sweep paths', () => {
  test('parse like parse_sweep_id: empty parts are not given, an empty id keeps the whole text, four parts are an error', async () => {
    const ids = ['abc', 'p/abc', 'e/p/abc', '/abc', '//abc', 'e//abc', '/p/', 'e/p/', '', 'a/b/c/d', 'a b/c']
    const expected = await wandbSweepOracle(ids.map((parse) => ({parse})))
    ids.forEach((id, i) => {
      const want = expected[i]
      if (want.error) {
        expect(() => parseSweepPath(id)).toThrow(SweepIdError)
        return
      }
      const p = want.parts!
      // wandb's CLI then uses `parts["name"] or sweep_id`
      expect(parseSweepPath(id)).toEqual({name: p.name || id, ...(p.entity ? {entity: p.entity} : {}), ...(p.project ? {project: p.project} : {})})
    })
    expect(expected.filter((e) => e.error)).toHaveLength(1)
  }, 60_000)
})

describe('entity and project of a new sweep', () => {
  const config = parseSweepConfig('method: grid\nentity: cfg-entity\nproject: cfg-project\n')
  const bare = parseSweepConfig('method: grid\n')
  const noGit = () => undefined

  test('flag, then WANDB_ENTITY/WANDB_PROJECT, then the config, then the settings files', () => {
    const defaults = {entity: 'set-entity', project: 'set-project'}
    const env = {WANDB_ENTITY: 'env-entity', WANDB_PROJECT: 'env-project'}
    expect(resolveDestination(config, {entity: 'flag-e', project: 'flag-p', env, defaults, gitRoot: noGit})).toEqual({entity: 'flag-e', project: 'flag-p'})
    expect(resolveDestination(config, {env, defaults, gitRoot: noGit})).toEqual({entity: 'env-entity', project: 'env-project'})
    expect(resolveDestination(config, {env: {}, defaults, gitRoot: noGit})).toEqual({entity: 'cfg-entity', project: 'cfg-project'})
    expect(resolveDestination(bare, {env: {}, defaults, gitRoot: noGit})).toEqual({entity: 'set-entity', project: 'set-project'})
  })

  test('with nothing set the entity is left to the server and the project is "uncategorized" outside git', () => {
    expect(resolveDestination(bare, {env: {}, defaults: {}, gitRoot: noGit})).toEqual({project: 'uncategorized'})
  })

  test('a non-text entity in the config is a config error', () => {
    expect(() => resolveDestination(parseSweepConfig('method: grid\nentity: 5\n'), {env: {}, defaults: {}, gitRoot: noGit})).toThrow(SweepConfigError)
  })

  test('settings defaults come from WANDB_ENTITY/WANDB_PROJECT, else the workspace and global settings files', () => {
    const home = join(dir, 'home')
    const work = join(dir, 'work')
    mkdirSync(join(home, 'config'), {recursive: true})
    mkdirSync(join(work, 'wandb'), {recursive: true})
    writeFileSync(join(home, 'config', 'settings'), '[default]\nentity = global-e\nproject = global-p\n')
    writeFileSync(join(work, 'wandb', 'settings'), '[default]\nproject = work-p\n')
    const env = {HOME: home, WANDB_CONFIG_DIR: join(home, 'config')}
    expect(settingsDefaults({env, cwd: work})).toEqual({entity: 'global-e', project: 'work-p'})
    expect(settingsDefaults({env: {...env, WANDB_ENTITY: 'env-e'}, cwd: work})).toEqual({entity: 'env-e', project: 'work-p'})
  })

  test('inside a git repository the project is named after it, as util.auto_project_name does', async () => {
    const repo = join(dir, 'my-repo')
    mkdirSync(join(repo, 'src', 'models'), {recursive: true})
    const init = Bun.spawnSync(['git', 'init', '-q', repo], {stdout: 'ignore', stderr: 'pipe'})
    expect(init.exitCode).toBe(0)
    const cases: {program: string | null; cwd: string}[] = [
      {program: null, cwd: repo},
      {program: 'train.py', cwd: repo},
      {program: 'src/models/train.py', cwd: repo},
      {program: 'train.py', cwd: join(repo, 'src')},
      {program: '/elsewhere/train.py', cwd: repo},
      {program: 'train.py', cwd: dir},
    ]
    const expected = await wandbSweepOracle(cases.map((c) => ({project: c.program, cwd: c.cwd})))
    const ours = cases.map((c) => autoProjectName(c.program ?? undefined, c.cwd, (cwd) => gitRoot(cwd)))
    expect(ours).toEqual(expected.map((e) => e.project!))
    expect(ours).toContain('my-repo-src_models')
    expect(ours[ours.length - 1]).toBe('uncategorized')
  }, 60_000)
})

describe('printed text', () => {
  test('the sweep URL quotes like urllib.parse.quote and needs entity and project', async () => {
    const cases: [string, string | null, string | null, string][] = [
      ['http://127.0.0.1:8080', 'nexus', 'proj', 'abc123'],
      ['https://wandb.ai', 'my team', 'p/q', 'x'],
      ['https://wandb.ai', 'é~_.-!*()', 'p', 'id'],
      ['https://wandb.ai', null, 'p', 'id'],
      ['https://wandb.ai', 'e', null, 'id'],
    ]
    const expected = await wandbSweepOracle(cases.map((url) => ({url})))
    expect(cases.map(([b, e, p, id]) => sweepUrl(b, e ?? undefined, p ?? undefined, id) ?? null)).toEqual(expected.map((x) => x.url ?? null))
    expect(pyQuote('a b')).toBe('a%20b')
  }, 60_000)

  test('the agent path is entity/project/id, repr-quoted when it holds a space', async () => {
    expect(agentPath('e', 'p', 'id')).toBe('e/p/id')
    expect(agentPath(undefined, 'p', 'id')).toBe('p/id')
    expect(agentPath(undefined, undefined, 'id')).toBe('id')
    const strings = ['my team/p/id', "it's here", 'both \' and "', 'tab\there', 'uni é', 'back\\slash', 'nl\nx', 'zw\u200bsp', '\x7f']
    const expected = await wandbSweepOracle(strings.map((repr) => ({repr})))
    expect(strings.map(pyRepr)).toEqual(expected.map((e) => e.repr!))
    expect(agentPath('my team', 'p', 'id')).toBe("'my team/p/id'")
  }, 60_000)

  test("server warnings become wandb's numbered violation lines", () => {
    expect(violationLines([])).toEqual([])
    expect(violationLines(['bad a', 'bad b'])).toEqual([
      'Malformed sweep config detected! This may cause your sweep to behave in unexpected ways.',
      'To avoid this, please fix the sweep config schema violations below:',
      '  Violation 1. bad a',
      '  Violation 2. bad b',
    ])
  })
})
