/**
 * The part of files/wandb-metadata.json the job builder reads: where the code came from (git,
 * docker image, program paths), the Python version, and the `_partial` / `entrypoint` fields that
 * `wandb job create` writes. Keys match as Go's encoding/json matches struct fields: the exact
 * name first, else case-insensitively.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {JobBuildError} from './errors.ts'

export const METADATA_FILE = 'wandb-metadata.json'

export interface GitInfo {
  remote?: string
  commit?: string
}

export interface RunMetadata {
  sourceType?: string
  partial?: string
  git?: GitInfo
  root?: string
  docker?: string
  program?: string
  codePathLocal?: string
  codePath?: string
  entrypoint?: string[]
  python?: string
}

type JsonObject = Record<string, unknown>

function field(obj: JsonObject, name: string): unknown {
  if (Object.hasOwn(obj, name)) return obj[name]
  const lower = name.toLowerCase()
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower)
  return key === undefined ? undefined : obj[key]
}

/** A string field: absent or null → undefined; another type is an error (Go's decoder refuses it). */
function str(obj: JsonObject, name: string): string | undefined {
  const v = field(obj, name)
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') throw new JobBuildError(`jobs: ${METADATA_FILE}: "${name}" is not a string`)
  return v
}

/** Parses wandb-metadata.json text. Throws JobBuildError for text that is not a JSON object of the expected field types. */
export function parseRunMetadata(text: string): RunMetadata {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (cause) {
    throw new JobBuildError(`jobs: ${METADATA_FILE} is not valid JSON`, {cause})
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new JobBuildError(`jobs: ${METADATA_FILE} does not hold a JSON object`)
  const obj = raw as JsonObject
  const meta: RunMetadata = {
    sourceType: str(obj, 'source_type'),
    partial: str(obj, '_partial'),
    root: str(obj, 'root'),
    docker: str(obj, 'docker'),
    program: str(obj, 'program'),
    codePathLocal: str(obj, 'codePathLocal'),
    codePath: str(obj, 'codePath'),
    python: str(obj, 'python'),
  }
  const git = field(obj, 'git')
  if (git !== undefined && git !== null) {
    if (typeof git !== 'object' || Array.isArray(git)) throw new JobBuildError(`jobs: ${METADATA_FILE}: "git" is not an object`)
    meta.git = {remote: str(git as JsonObject, 'remote'), commit: str(git as JsonObject, 'commit')}
  }
  const entrypoint = field(obj, 'entrypoint')
  if (entrypoint !== undefined && entrypoint !== null) {
    if (!Array.isArray(entrypoint) || !entrypoint.every((e) => typeof e === 'string')) throw new JobBuildError(`jobs: ${METADATA_FILE}: "entrypoint" is not a list of strings`)
    meta.entrypoint = entrypoint
  }
  return meta
}

/** Reads files/wandb-metadata.json. Throws JobBuildError when it is missing or unreadable. */
export function readRunMetadata(filesDir: string): RunMetadata {
  const path = join(filesDir, METADATA_FILE)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (cause) {
    throw new JobBuildError(`jobs: cannot read ${path}`, {cause})
  }
  return parseRunMetadata(text)
}
