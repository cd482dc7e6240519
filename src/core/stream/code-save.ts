import {copyFileSync, existsSync, mkdirSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import type {Logger} from '../observability/index.ts'
import {FilesItem, FilesItem_FileType, FilesRecord, Record} from '../proto.ts'
import type {RunSettings} from '../settings/index.ts'

const filesRecord = (paths: string[]) =>
  Record.create({record_type: {oneofKind: 'files', files: FilesRecord.create({files: paths.map((path) => FilesItem.create({path, type: FilesItem_FileType.WANDB}))})}})

/**
 * save_code: copies the program into files/code/<path relative to the repo root> (once) and
 * returns the files record that uploads it, or undefined when there is nothing to save.
 */
export function saveProgramCode(settings: RunSettings, logger: Logger): Record | undefined {
  const relative = settings.programRelpath
  if (!relative) {
    logger.warn('code save: program relative path is empty')
    return undefined
  }
  const absolute = settings.programAbspath
  if (!absolute || !existsSync(absolute)) {
    logger.warn('code save: program does not exist', {path: absolute})
    return undefined
  }
  const saved = join(settings.filesDir, 'code', relative)
  try {
    mkdirSync(dirname(saved), {recursive: true})
    if (!existsSync(saved)) copyFileSync(absolute, saved)
  } catch (err) {
    logger.captureError('code save: copying the program failed', err)
    return undefined
  }
  return filesRecord([join('code', relative).split('\\').join('/')])
}

async function git(args: string[], cwd: string): Promise<{ok: boolean; out: string}> {
  try {
    const proc = Bun.spawn(['git', ...args], {cwd, stdout: 'pipe', stderr: 'pipe', stdin: 'ignore'})
    const [out, , code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
    return {ok: code === 0, out}
  } catch {
    return {ok: false, out: ''}
  }
}

/** The commit the local branch forked from its upstream (Go gitops): merge-base of HEAD and the tracking branches. */
async function upstreamCommit(root: string, disableForkPoint: boolean): Promise<string | undefined> {
  if (disableForkPoint) {
    const r = await git(['rev-parse', '@{upstream}'], root)
    return r.ok ? r.out.trim() || undefined : undefined
  }
  if (!(await git(['symbolic-ref', 'HEAD'], root)).ok) return undefined // detached HEAD
  const tracking = await git(['rev-parse', '--abbrev-ref', '@{upstream}'], root)
  let branches = tracking.ok && tracking.out.trim() ? [tracking.out.trim()] : []
  if (branches.length === 0) {
    const all = await git(['for-each-ref', '--format=%(upstream:short)', 'refs/heads/'], root)
    branches = [...new Set(all.out.split('\n').filter(Boolean))]
  }
  if (branches.length === 0) return undefined
  const base = await git(['merge-base', 'HEAD', ...branches], root)
  return base.ok ? base.out.trim() || undefined : undefined
}

/**
 * Git patches of uncommitted work (unless disable_git): files/diff.patch against HEAD and
 * files/diff_<upstream commit>.patch against the fork point. Resolves the files record that uploads
 * them, or undefined when there is no repository or no diff.
 */
export async function saveGitPatches(settings: RunSettings, logger: Logger): Promise<Record | undefined> {
  const root = settings.gitRoot || dirname(settings.programAbspath || process.cwd())
  if (!(await git(['rev-parse', '--git-dir'], root)).ok) return undefined
  const saved: string[] = []
  const patch = async (ref: string, name: string) => {
    const diff = await git(['diff', ref, '--submodule=diff'], root)
    if (!diff.ok || diff.out.length === 0) return
    mkdirSync(settings.filesDir, {recursive: true})
    writeFileSync(join(settings.filesDir, name), diff.out)
    saved.push(name)
  }
  try {
    await patch('HEAD', 'diff.patch')
    const upstream = await upstreamCommit(root, settings.disableGitForkPoint)
    if (upstream) await patch(upstream, `diff_${upstream}.patch`)
  } catch (err) {
    logger.captureError('code save: git patches failed', err)
  }
  return saved.length > 0 ? filesRecord(saved) : undefined
}
