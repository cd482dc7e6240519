/**
 * `bun run demo`: the main job on the embedded default (the local W&B backend).
 *
 * 1. builds dist/nexus-<this machine>;
 * 2. starts the local backend (test/backend) on 127.0.0.1;
 * 3. writes three offline runs with the real wandb SDK running on nexus (when .venv exists),
 *    else copies the shipped ones from examples/offline-runs;
 * 4. syncs them with `nexus sync`;
 * 5. prints what the backend received.
 */
import {cpSync, existsSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {startBackend} from '../test/backend/index.ts'
import {nexusOverlay} from '../test/e2e/harness.ts'
import {PYTHON} from '../test/helpers/python.ts'
import {hostTarget} from './build.ts'

const root = join(import.meta.dir, '..')
const step = (text: string) => console.log(`\n== ${text}`)

step('building the nexus binary')
const build = Bun.spawn([process.execPath, 'scripts/build.ts', '--host'], {cwd: root, stdout: 'inherit', stderr: 'inherit'})
if ((await build.exited) !== 0) process.exit(1)
const bin = join(root, 'dist', hostTarget().out)

step('starting the local W&B backend')
await using backend = await startBackend({quiet: true})
console.log(`backend at ${backend.url}`)

const work = mkdtempSync(join(tmpdir(), 'nexus-demo-'))
const env = {...process.env, HOME: work, WANDB_DIR: work, WANDB_CONFIG_DIR: join(work, '.config'), WANDB_CACHE_DIR: join(work, '.cache'), WANDB_SILENT: 'true'}
if (existsSync(PYTHON)) {
  step('training three runs offline with the wandb SDK, on nexus as wandb-core')
  for (const [name, lr] of [
    ['baseline', '0.01'],
    ['faster', '0.03'],
    ['slower', '0.005'],
  ]) {
    const p = Bun.spawn([PYTHON, join(root, 'examples', 'demo_train.py'), name, lr], {cwd: work, env: {...env, PYTHONPATH: nexusOverlay()}, stdout: 'inherit', stderr: 'inherit'})
    if ((await p.exited) !== 0) process.exit(1)
  }
} else {
  step('no .venv: using the shipped offline runs in examples/offline-runs')
  cpSync(join(root, 'examples', 'offline-runs'), join(work, 'wandb'), {recursive: true})
}
if (process.argv.includes('--save-examples')) {
  // refresh examples/offline-runs from the runs just written (only the .wandb file and files/ are needed)
  const {readdirSync, rmSync, mkdirSync} = await import('node:fs')
  const dest = join(root, 'examples', 'offline-runs')
  rmSync(dest, {recursive: true, force: true})
  for (const d of readdirSync(join(work, 'wandb')).filter((x) => x.startsWith('offline-run-'))) {
    mkdirSync(join(dest, d), {recursive: true})
    for (const f of readdirSync(join(work, 'wandb', d)).filter((x) => x.endsWith('.wandb'))) cpSync(join(work, 'wandb', d, f), join(dest, d, f))
    cpSync(join(work, 'wandb', d, 'files'), join(dest, d, 'files'), {recursive: true})
  }
  console.log(`saved the runs to ${dest}`)
}

step(`nexus sync ${join(work, 'wandb')}`)
const sync = Bun.spawn([bin, 'sync', join(work, 'wandb')], {cwd: work, env: {...env, WANDB_BASE_URL: backend.url, WANDB_API_KEY: backend.apiKey}, stdout: 'inherit', stderr: 'inherit'})
const code = await sync.exited
if (code !== 0) process.exit(code)

step('what the backend received')
for (const run of await backend.inspectRuns()) {
  console.log(`${run.entity}/${run.project}/${run.id} "${run.displayName}": ${run.state}, ${run.history.length} history rows, final train/loss ${Number(run.summary['train/loss']).toFixed(4)}`)
  console.log(`  config ${JSON.stringify(run.config)}`)
  console.log(`  summary best_val_loss ${run.summary.best_val_loss}; files ${Object.keys(run.files).sort().join(', ')}; ${run.output.length} console lines`)
}
