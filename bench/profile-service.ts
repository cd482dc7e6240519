/**
 * Profiles `nexus service` (run from source under `bun --cpu-prof-md`) while the real SDK logs a
 * long run through it: `bun bench/profile-service.ts [STEPS=20000] [METRICS=20]`.
 * Writes the markdown CPU profile under bench/.cache/profile/ and prints its top lines.
 */
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {startBackend} from '../test/backend/index.ts'
import {isolatedEnv} from '../test/e2e/harness.ts'
import {requirePython} from '../test/helpers/python.ts'

const heap = process.argv.includes('--heap')
const [steps = '20000', metrics = '20'] = process.argv.slice(2).filter((a) => a !== '--heap')
const root = join(import.meta.dir, '..')
const out = join(import.meta.dir, '.cache', 'profile')
rmSync(out, {recursive: true, force: true})
mkdirSync(out, {recursive: true})
const backend = await startBackend({quiet: true})
const env = {...process.env, ...isolatedEnv(out, backend)} as Record<string, string>
delete env.PYTHONPATH
const portFile = join(out, 'port.txt')
const service = Bun.spawn(
  [
    process.execPath,
    ...(heap ? ['--heap-prof-md', `--heap-prof-dir=${out}`] : ['--cpu-prof-md', `--cpu-prof-dir=${out}`]),
    join(root, 'bin/run.ts'),
    'service',
    '--port-filename',
    portFile,
    '--detached',
    '--idle-timeout',
    '0',
  ],
  {cwd: out, env, stdout: 'inherit', stderr: 'inherit'},
)
while (!(existsSync(portFile) && readFileSync(portFile, 'utf8').endsWith('EOF'))) await Bun.sleep(20)
const unix = /unix=(.+)/.exec(readFileSync(portFile, 'utf8'))![1]
const py = Bun.spawn([requirePython(), join(import.meta.dir, 'workloads', 'scalars.py')], {
  cwd: out,
  env: {...env, WANDB_SERVICE: `3-${service.pid}-unix-${unix}`, BENCH_STEPS: steps, BENCH_METRICS: metrics},
  stdout: 'pipe',
  stderr: 'inherit',
})
console.log(`workload: ${(await new Response(py.stdout).text()).trim()} (exit ${await py.exited})`)
service.kill('SIGTERM')
await service.exited
await backend.stop()
const md = readdirSync(out).find((f) => f.endsWith('.md'))
if (!md) throw new Error(`no profile written in ${out}`)
console.log(`profile: ${join(out, md)}\n`)
console.log(readFileSync(join(out, md), 'utf8').split('\n').slice(0, 60).join('\n'))
