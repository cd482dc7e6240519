/**
 * Workload 7: `wandb artifact put/get` (SDK CLI on Go wandb-core) vs `nexus artifact put/get`,
 * each repetition with an emptied backend and empty caches, so every byte is hashed, uploaded and
 * downloaded. The get checks every file arrived with its size.
 */
import {existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeFileSync, writeSync, closeSync} from 'node:fs'
import {randomFillSync} from 'node:crypto'
import {join, relative} from 'node:path'
import {hostBinary} from '../../test/helpers/binary.ts'
import {requirePython} from '../../test/helpers/python.ts'
import {BenchFailure, ok} from './context.ts'
import {CACHE} from './sync-workloads.ts'
import type {Workload} from './workload.ts'

function listFiles(root: string, dir = root, out = new Map<string, number>()): Map<string, number> {
  for (const e of readdirSync(dir, {withFileTypes: true})) {
    const p = join(dir, e.name)
    if (e.isDirectory()) listFiles(root, p, out)
    else out.set(relative(root, p), statSync(p).size)
  }
  return out
}

function writeRandom(path: string, bytes: number) {
  const fd = openSync(path, 'w')
  const chunk = Buffer.alloc(Math.min(bytes, 1 << 20))
  for (let left = bytes; left > 0; left -= chunk.length) writeSync(fd, randomFillSync(chunk), 0, Math.min(left, chunk.length))
  closeSync(fd)
}

function artifactWorkload(name: string, shape: (quick: boolean) => {files: number; bytes: number}): Workload {
  let source = ''
  let want = new Map<string, number>()
  const label = (q: boolean) => {
    const {files, bytes} = shape(q)
    return files === 1 ? `1 file of ${bytes >= 1 << 30 ? `${bytes / (1 << 30)} GiB` : `${bytes / (1 << 20)} MiB`}` : `${files} files × ${bytes / 1000} kB`
  }
  return {
    name,
    describe: (q) => `put then get ${label(q)} (random bytes), empty caches`,
    metrics: [
      {key: 'put_s', label: 'put', unit: 's'},
      {key: 'get_s', label: 'get', unit: 's'},
    ],
    sides: {go: 'wandb artifact (Go core)', nexus: 'nexus artifact'},
    async prepare(ctx) {
      const {files, bytes} = shape(ctx.quick)
      source = join(CACHE, `${name}-${files}x${bytes}`)
      if (!existsSync(join(source, '.complete'))) {
        rmSync(source, {recursive: true, force: true})
        const data = join(source, 'data')
        mkdirSync(data, {recursive: true})
        console.log(`  preparing ${label(ctx.quick)} in ${data} (once)…`)
        for (let i = 0; i < files; i++) {
          const sub = files > 1 ? join(data, `d${String(i % 100).padStart(2, '0')}`) : data
          mkdirSync(sub, {recursive: true})
          writeRandom(join(sub, `f${i}.bin`), bytes)
        }
        writeFileSync(join(source, '.complete'), '')
      }
      want = listFiles(join(source, 'data'))
    },
    async measure(ctx, core, rep) {
      const dir = ctx.freshDir(name)
      const art = `bench/${name}-${core}-${rep}`
      const data = join(source, 'data')
      const root = join(dir, 'download')
      const py = (args: string[]) => ctx.run([requirePython(), '-m', 'wandb', 'artifact', ...args], ctx.sdkEnv('go', dir), dir, 3600)
      const nx = (args: string[]) => ctx.run([hostBinary(), 'artifact', ...args], ctx.cliEnv(dir), dir, 3600)
      const put = ok(await (core === 'go' ? py : nx)(['put', '--name', art, '--type', 'dataset', data]), `${core} artifact put`)
      const get = ok(await (core === 'go' ? py : nx)(['get', `${art}:latest`, '--root', root]), `${core} artifact get`)
      const got = listFiles(root)
      for (const [file, size] of want) {
        if (got.get(file) !== size) throw new BenchFailure(`${core}: ${file} downloaded as ${got.get(file) ?? 'missing'} bytes, expected ${size}`)
      }
      ctx.removeDir(dir)
      return {put_s: put.wallS, get_s: get.wallS}
    },
  }
}

export const artifactsMany = artifactWorkload('artifact-many', (q) => ({files: q ? 200 : 10_000, bytes: 40_000}))
export const artifactsBig = artifactWorkload('artifact-big', (q) => ({files: 1, bytes: q ? 16 << 20 : 1 << 30}))
