/**
 * The `wandb sync` conveniences in `nexus sync`: no paths means every unsynced run in ./wandb
 * (asked first, or --yes; a batch job without a terminal is told to pass --yes), online runs are
 * skipped unless --include-online, and --job-type / --replace-tags rewrite the run as it is synced.
 */
import {describe, expect, test} from 'bun:test'
import {cpSync, mkdirSync, readdirSync, renameSync} from 'node:fs'
import {join} from 'node:path'
import {startBackend} from '../backend/index.ts'
import {copyWandbDir, nexusSync, offlineScenario} from './helpers.ts'

describe('nexus sync conveniences', () => {
  test('no paths: refused without --yes off a terminal, nothing sent; with -y every offline run in ./wandb, online ones skipped with a line', async () => {
    const made = await offlineScenario('log_1000', 'noargs')
    expect(made.code, made.stderr).toBe(0)
    const h = copyWandbDir(made.dir)
    // a second run, made "online": its directory is run-… (the same data under another id and name)
    const offline = readdirSync(join(h, 'wandb')).find((d) => d.startsWith('offline-run-'))!
    const onlineDir = join(h, 'wandb', offline.replace(/^offline-/, ''))
    cpSync(join(h, 'wandb', offline), onlineDir, {recursive: true})
    mkdirSync(join(h, 'elsewhere'))
    await using backend = await startBackend({quiet: true})

    const refused = await nexusSync([], backend, h)
    expect(refused.code, refused.stderr).toBe(2)
    expect(refused.stderr).toMatch(/--yes/)
    expect(await backend.inspectRuns()).toEqual([])

    const yes = await nexusSync(['-y'], backend, h)
    expect(yes.code, yes.stdout + yes.stderr).toBe(0)
    expect(yes.stderr).toMatch(/Skipped 1 online run\(s\)\. Include them with --include-online\./)
    const runs = await backend.inspectRuns()
    expect(runs.map((r) => r.history.length)).toEqual([1000])

    // the online one with --include-online, to another project so that the two are told apart
    renameSync(join(h, 'wandb', offline), join(h, 'elsewhere', offline))
    const online = await nexusSync(['-y', '--include-online', '--project', 'from-online'], backend, h)
    expect(online.code, online.stdout + online.stderr).toBe(0)
    expect((await backend.inspectRuns()).filter((r) => r.project === 'from-online').map((r) => r.history.length)).toEqual([1000])
  }, 120_000)

  test('--job-type and --replace-tags rewrite the run; a malformed --replace-tags is a usage error', async () => {
    const made = await offlineScenario('tagged_run', 'retag')
    expect(made.code, made.stderr).toBe(0)
    const h = copyWandbDir(made.dir)
    await using backend = await startBackend({quiet: true})
    const bad = await nexusSync([join(h, 'wandb'), '--replace-tags', 'alpha'], backend, h)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/old=new/)
    const r = await nexusSync([join(h, 'wandb'), '--job-type', 'eval', '--replace-tags', 'alpha=first,beta='], backend, h)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    const [run] = await backend.inspectRuns()
    expect(run.jobType).toBe('eval')
    expect([...run.tags].sort()).toEqual(['first', 'gamma'])
  }, 120_000)

  test('--json: a sync, its dry run and nothing to do have one top-level shape with a schema number', async () => {
    const made = await offlineScenario('tagged_run', 'jsonshape')
    expect(made.code, made.stderr).toBe(0)
    const h = copyWandbDir(made.dir)
    const offline = readdirSync(join(h, 'wandb')).find((d) => d.startsWith('offline-run-'))!
    cpSync(join(h, 'wandb', offline), join(h, 'wandb', offline.replace(/^offline-/, '')), {recursive: true})
    await using backend = await startBackend({quiet: true})
    const wandbDir = join(h, 'wandb')
    const dry = JSON.parse((await nexusSync([wandbDir, '--dry-run', '--json'], backend, h)).stdout)
    const real = JSON.parse((await nexusSync([wandbDir, '--json'], backend, h)).stdout)
    const none = JSON.parse((await nexusSync([wandbDir, '--json'], backend, h)).stdout)
    const keys = ['dryRun', 'exitCode', 'runs', 'schema', 'skipped']
    for (const report of [dry, real, none]) expect(Object.keys(report).sort()).toEqual(keys)
    expect(dry).toMatchObject({schema: 1, dryRun: true, exitCode: 0, runs: [{status: 'would-sync'}]})
    expect(dry.skipped.map((x: {reason: string}) => x.reason)).toEqual(['online'])
    expect(real).toMatchObject({schema: 1, dryRun: false, exitCode: 0, runs: [{status: 'synced', steps: 1}]})
    expect(none.runs).toEqual([])
    expect(none.skipped.map((x: {reason: string}) => x.reason).sort()).toEqual(['online', 'synced'])
    expect(await backend.inspectRuns()).toHaveLength(1)
  }, 120_000)
})
