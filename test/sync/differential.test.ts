/**
 * `nexus sync` against `wandb sync` (Go core): offline runs written by the real SDK for every e2e
 * scenario are synced by both into two fresh backends, which must end in equal states.
 */
import {describe, expect, test} from 'bun:test'
import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {startBackend} from '../backend/index.ts'
import {runWandbCli} from '../e2e/harness.ts'
import {copyWandbDir, goSync, nexusSync, offlineScenario, state} from './helpers.ts'

const SCENARIOS = ['empty_run', 'log_1000', 'custom_step', 'tagged_run', 'crash_exit1', 'two_runs', 'multi_process'] as const

describe('nexus sync uploads offline runs like wandb sync (Go)', () => {
  for (const name of SCENARIOS) {
    test(name, async () => {
      const written = await offlineScenario(name, `off${name.replace(/_/g, '')}`)
      expect([0, 1]).toContain(written.code)
      const goHome = copyWandbDir(written.dir)
      const nxHome = copyWandbDir(written.dir)
      await using goBackend = await startBackend({quiet: true})
      await using nxBackend = await startBackend({quiet: true})
      // Run directories, not wandb/: Go's `wandb sync wandb/` also walks the latest-run symlink and
      // uploads that run a second time, appending its history again (nexus syncs each file once).
      const runDirs = (home: string) =>
        readdirSync(join(home, 'wandb'))
          .filter((d) => d.startsWith('offline-run-'))
          .map((d) => join(home, 'wandb', d))
      const g = await goSync(runDirs(goHome), goBackend, goHome)
      expect(g.code, g.stderr).toBe(0)
      const n = await nexusSync(runDirs(nxHome), nxBackend, nxHome)
      expect(n.code, n.stdout + n.stderr).toBe(0)
      const goState = await state(goBackend)
      expect(goState.length).toBeGreaterThan(0)
      expect(await state(nxBackend)).toEqual(goState)
    })
  }

  test('`wandb sync` with nexus installed as wandb-core gives the same state too', async () => {
    const written = await offlineScenario('two_runs', 'offviasdk')
    expect(written.code).toBe(0)
    const goHome = copyWandbDir(written.dir)
    const nxHome = copyWandbDir(written.dir)
    await using goBackend = await startBackend({quiet: true})
    await using nxBackend = await startBackend({quiet: true})
    const runDirs = (home: string) =>
      readdirSync(join(home, 'wandb'))
        .filter((d) => d.startsWith('offline-run-'))
        .map((d) => join(home, 'wandb', d))
    expect((await goSync(runDirs(goHome), goBackend, goHome)).code).toBe(0)
    const viaNexus = await runWandbCli(['sync', ...runDirs(nxHome)], {core: 'nexus', backend: nxBackend, dir: nxHome})
    expect(viaNexus.code, viaNexus.stderr).toBe(0)
    expect(viaNexus.stderr + viaNexus.stdout).toContain('Finished syncing')
    expect(await state(nxBackend)).toEqual(await state(goBackend))
  })
})
