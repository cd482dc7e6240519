/**
 * `bun run demo`: the main job on the embedded default. Builds the binary for this machine and
 * shows what it offers. (When `nexus sync` lands this becomes the full offline-run → sync demo
 * against the local backend.)
 */
import {hostTarget} from './build.ts'

const root = `${import.meta.dir}/..`
const build = Bun.spawn([process.execPath, 'scripts/build.ts', '--host'], {cwd: root, stdout: 'inherit', stderr: 'inherit'})
if ((await build.exited) !== 0) process.exit(1)
const bin = `${root}/dist/${hostTarget().out}`
for (const args of [['--version'], ['--help']]) {
  console.log(`\n$ dist/${hostTarget().out} ${args.join(' ')}`)
  const p = Bun.spawn([bin, ...args], {stdout: 'inherit', stderr: 'inherit'})
  if ((await p.exited) !== 0) process.exit(1)
}
