/**
 * Which .wandb file `leet inspect` reads: --run-file as given, else the run that the wandb
 * directory's `latest-run` link points at (`<dir>/<target>/run-<id>.wandb`, the id taken from the
 * target's "run-YYYYMMDD_HHMMSS-<id>" name), with Go wandb-core's error texts.
 */
import {lstatSync, readlinkSync, statSync} from 'node:fs'
import {posix} from 'node:path'
import {goQuote} from './go-format.ts'
import {LeetInspectError, pathErrorText} from './errors.ts'

const LATEST_RUN_LINK = 'latest-run'
const RUN_DIR = /run-\d{8}_\d{6}-/

/** Go's filepath.Join: empty elements dropped, the result cleaned, no trailing slash. */
export function goJoin(...elems: string[]): string {
  const parts = elems.filter((e) => e !== '')
  if (parts.length === 0) return ''
  const joined = posix.normalize(parts.join('/'))
  return joined.length > 1 ? joined.replace(/\/+$/, '') : joined
}

/** The run id at the end of a run directory name, or '' when the name is not one. */
export function runIdOfDir(name: string): string {
  const m = RUN_DIR.exec(name)
  if (!m || m.index + m[0].length === name.length) return ''
  return name.slice(m.index + m[0].length)
}

export function resolveRunFile(runFile: string, wandbDir: string, cwd = process.cwd()): string {
  if (runFile !== '') return runFile
  const fail = (detail: string) => new LeetInspectError(`failed to find the latest run in ${goQuote(wandbDir)}: ${detail}`)
  const link = goJoin(posix.isAbsolute(wandbDir) ? '' : cwd, goJoin(wandbDir, LATEST_RUN_LINK))
  let isDir: boolean
  try {
    isDir = statSync(link).isDirectory()
  } catch (err) {
    throw fail(pathErrorText('stat', link, err))
  }
  if (!isDir) throw new LeetInspectError(`no latest run found in ${goQuote(wandbDir)}`)
  let target: string
  try {
    if (!lstatSync(link).isSymbolicLink()) throw Object.assign(new Error('not a link'), {code: 'EINVAL'})
    target = readlinkSync(link)
  } catch (err) {
    throw fail(pathErrorText('readlink', link, err))
  }
  const id = runIdOfDir(target)
  const file = id === '' ? '' : goJoin(wandbDir, target, `run-${id}.wandb`)
  try {
    statSync(file)
  } catch (err) {
    throw fail(pathErrorText('stat', file, err))
  }
  return file
}
