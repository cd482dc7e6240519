/**
 * An ArtifactRecord for local files, built the way `wandb.Artifact.add_dir` / `add_file` and
 * `run.log_artifact` build it: every file (symbolic links followed) becomes an entry whose digest
 * is the base64 MD5 of its bytes; with the "mutable" policy each file is first copied into the
 * staging folder (read-only) so that later changes cannot corrupt the upload, and the saver deletes
 * the copies afterwards; "immutable" uploads the files in place.
 */
import {randomBytes} from 'node:crypto'
import {chmod, mkdir, readdir, realpath, stat} from 'node:fs/promises'
import {homedir} from 'node:os'
import {basename, join, relative, resolve, sep} from 'node:path'
import {randomId} from '../runtime/index.ts'
import {ArtifactManifest, ArtifactRecord} from '../proto.ts'
import {artifactDigest, compareCodePoints, fileMd5} from './digests.ts'
import {ArtifactInputError} from './errors.ts'
import {copyVerified} from './file-cache.ts'

/** The SDK's data folder: WANDB_DATA_DIR, else the platform's user data folder + "/wandb". */
export function userDataDir(env: Readonly<Record<string, string | undefined>> = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.WANDB_DATA_DIR) return env.WANDB_DATA_DIR
  const home = env.HOME || homedir()
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'wandb')
  if (platform === 'win32') return join(env.LocalAppData || join(home, 'AppData', 'Local'), 'wandb', 'wandb')
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'wandb')
}

/** Where staged copies go (`staging.py::get_staging_dir`). */
export function stagingDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return resolve(userDataDir(env), 'artifacts', 'staging')
}

/** A random base-36 id of `length` characters (the SDK's generate_id / generate_fast_id). */
export function randomBase36(length: number): string {
  return randomId(length)
}

/** What to build an artifact record from. */
export interface LocalArtifactOptions {
  /** A file or a folder. */
  path: string
  name: string
  type: string
  description?: string
  /** Already resolved (with "latest"). */
  aliases: string[]
  entity: string
  project: string
  runId: string
  skipCache: boolean
  policy: 'mutable' | 'immutable'
  /** Where mutable files are staged (default stagingDir()). */
  stagingDir?: string
}

/** Files under `root` (or `root` itself) as [artifact path, absolute local path], symbolic links followed, no loops. */
export async function listLocalFiles(root: string): Promise<Array<[string, string]>> {
  const top = resolve(root)
  const info = await stat(top).catch(() => undefined)
  if (!info) throw new ArtifactInputError(`Path argument must be a file or directory: ${root} does not exist`)
  if (info.isFile()) return [[basename(top), top]]
  if (!info.isDirectory()) throw new ArtifactInputError(`Path argument must be a file or directory: ${root}`)
  const out: Array<[string, string]> = []
  const seen = new Set<string>()
  const walk = async (dir: string): Promise<void> => {
    const real = await realpath(dir)
    if (seen.has(real)) return
    seen.add(real)
    for (const d of await readdir(dir, {withFileTypes: true})) {
      const full = join(dir, d.name)
      const s = d.isSymbolicLink() ? await stat(full).catch(() => undefined) : d
      if (!s) continue
      if (s.isDirectory()) await walk(full)
      else if (s.isFile()) out.push([relative(top, full).split(sep).join('/'), full])
    }
  }
  await walk(top)
  return out.sort(([a], [b]) => compareCodePoints(a, b))
}

/**
 * The record `run.log_artifact` would send for `o.path`: entries sorted by path, the artifact
 * digest over them, fresh client ids, storage layout V2. Stages files when the policy is mutable.
 */
export async function buildLocalArtifact(o: LocalArtifactOptions): Promise<{record: ArtifactRecord; stagingDir: string}> {
  const staging = o.stagingDir ?? stagingDir()
  if (o.policy === 'mutable') await mkdir(staging, {recursive: true})
  const contents: ArtifactManifest['contents'] = []
  for (const [path, local] of await listLocalFiles(o.path)) {
    let upload = local
    let digest: {b64: string; size: number}
    if (o.policy === 'mutable') {
      // the staged copy is hashed while it is written: what is uploaded is what was hashed
      upload = join(staging, `tmp${randomBytes(6).toString('hex')}`)
      const b64 = await copyVerified(local, upload)
      await chmod(upload, 0o400)
      digest = {b64, size: (await stat(upload)).size}
    } else {
      digest = await fileMd5(upload)
    }
    contents.push({path, digest: digest.b64, ref: '', size: BigInt(digest.size), mimetype: '', local_path: upload, birth_artifact_id: '', skip_cache: o.skipCache, extra: []})
  }
  const record = ArtifactRecord.create({
    run_id: o.runId,
    project: o.project,
    entity: o.entity,
    type: o.type,
    name: o.name,
    digest: artifactDigest(contents.map((e) => [e.path, e.digest] as const)),
    digest_algorithm: 'MANIFEST_MD5',
    description: o.description ?? '',
    aliases: o.aliases,
    finalize: true,
    client_id: randomBase36(128),
    sequence_client_id: randomBase36(128),
    manifest: ArtifactManifest.create({
      version: 1,
      storage_policy: 'wandb-storage-policy-v1',
      storage_policy_config: [{key: 'storageLayout', value_json: '"V2"'}],
      contents,
    }),
  })
  return {record, stagingDir: staging}
}
