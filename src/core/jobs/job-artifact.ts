/**
 * The `job` artifact: wandb-job.json (written to a temporary file), the run's requirements.txt as
 * requirements.frozen.txt and, for repo jobs, the run's diff.patch; aliases the image tag (if any)
 * then "latest"; committed and used by the run once saved (use_after_commit), like wandb-core's.
 */
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {artifactDigest, fileMd5, md5B64} from '../artifacts/index.ts'
import {ArtifactManifest, ArtifactManifestEntry, ArtifactRecord, StoragePolicyConfigItem} from '../proto.ts'
import {JobBuildError} from './errors.ts'

export const REQUIREMENTS_FILE = 'requirements.txt'
export const FROZEN_REQUIREMENTS_FILE = 'requirements.frozen.txt'
export const DIFF_FILE = 'diff.patch'
export const JOB_FILE = 'wandb-job.json'

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/** `length` random letters and digits (artifact client ids). */
export function randomAlphanumeric(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length))
  let out = ''
  for (const b of bytes) out += ALPHANUMERIC[b % ALPHANUMERIC.length]
  return out
}

export interface JobArtifactSpec {
  entity: string
  project: string
  runId: string
  name: string
  /** Aliases before "latest". */
  aliases: string[]
  /** The artifact metadata text ("" unless job inputs were declared). */
  metadata: string
  /** The exact bytes of wandb-job.json. */
  jobJson: string
  filesDir: string
  /** Adds files/diff.patch when it exists (repo jobs). */
  withDiff: boolean
}

/** An artifact record ready to save, and the removal of its temporary folder (call after the save). */
export interface JobArtifact {
  record: ArtifactRecord
  cleanup(): void
}

async function fileEntry(localPath: string, path: string): Promise<ArtifactManifestEntry> {
  try {
    const {b64, size} = await fileMd5(localPath)
    return ArtifactManifestEntry.create({path, digest: b64, size: BigInt(size), local_path: localPath})
  } catch (cause) {
    throw new JobBuildError(`jobs: cannot read ${localPath}`, {cause})
  }
}

/** Builds the job's artifact record. Throws JobBuildError when a run file cannot be read or the temporary file written. */
export async function buildJobArtifact(spec: JobArtifactSpec): Promise<JobArtifact> {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-job-'))
  const cleanup = () => rmSync(dir, {recursive: true, force: true})
  try {
    const contents = [await fileEntry(join(spec.filesDir, REQUIREMENTS_FILE), FROZEN_REQUIREMENTS_FILE)]
    const jobPath = join(dir, JOB_FILE)
    writeFileSync(jobPath, spec.jobJson)
    contents.push(ArtifactManifestEntry.create({path: JOB_FILE, digest: md5B64(spec.jobJson), size: BigInt(Buffer.byteLength(spec.jobJson)), local_path: jobPath}))
    const diff = join(spec.filesDir, DIFF_FILE)
    if (spec.withDiff && existsSync(diff)) contents.push(await fileEntry(diff, DIFF_FILE))
    const manifest = ArtifactManifest.create({
      version: 1,
      storage_policy: 'wandb-storage-policy-v1',
      storage_policy_config: [StoragePolicyConfigItem.create({key: 'storageLayout', value_json: '"V2"'})],
      contents,
    })
    const record = ArtifactRecord.create({
      entity: spec.entity,
      project: spec.project,
      run_id: spec.runId,
      name: spec.name,
      metadata: spec.metadata,
      type: 'job',
      aliases: [...spec.aliases, 'latest'],
      finalize: true,
      use_after_commit: true,
      user_created: true,
      client_id: randomAlphanumeric(128),
      sequence_client_id: randomAlphanumeric(128),
      digest: artifactDigest(contents.map((e) => [e.path, e.digest] as const)),
      manifest,
    })
    return {record, cleanup}
  } catch (err) {
    cleanup()
    throw err
  }
}
