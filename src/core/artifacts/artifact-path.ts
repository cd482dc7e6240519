/**
 * Artifact paths and names as the SDK parses and validates them (`_validators.py`):
 * `[prefix/][project/]name[:version or alias]`, the version split off first (it may hold slashes).
 */
import {ArtifactInputError} from './errors.ts'

/** Longest artifact name or type the SDK accepts. */
export const NAME_MAXLEN = 128

/** A parsed artifact path; missing parts are undefined. */
export interface ArtifactPath {
  /** The entity (or organization, for registries). */
  prefix?: string
  project?: string
  /** The collection name, without the version. */
  name: string
  /** What followed ':' (an alias or "vN"), if anything. */
  version?: string
}

/** Splits `path` like `ArtifactPath.from_str`; throws ArtifactInputError for more than three parts. */
export function parseArtifactPath(path: string): ArtifactPath {
  const colon = path.indexOf(':')
  const collectionPath = colon < 0 ? path : path.slice(0, colon)
  const version = colon < 0 ? undefined : path.slice(colon + 1)
  const parts = collectionPath.split('/')
  if (parts.length > 3) throw new ArtifactInputError(`Invalid artifact path: ${JSON.stringify(path)}`)
  const name = parts[parts.length - 1]
  if (name === '') throw new ArtifactInputError(`Invalid artifact path: ${JSON.stringify(path)} has no artifact name`)
  const out: ArtifactPath = {name}
  if (parts.length === 3 && parts[0] !== '') out.prefix = parts[0]
  if (parts.length >= 2 && parts[parts.length - 2] !== '') out.project = parts[parts.length - 2]
  if (version !== undefined) out.version = version
  return out
}

/** Checks an artifact name (≤ 128 characters, no '/' or ':'); returns it. */
export function validateArtifactName(name: string): string {
  if (name.length > NAME_MAXLEN) throw new ArtifactInputError(`Artifact name is longer than ${NAME_MAXLEN} characters: ${JSON.stringify(name.slice(0, NAME_MAXLEN))} ...`)
  if (/[/:]/.test(name)) throw new ArtifactInputError(`Artifact names must not contain '/' or ':'. Got: ${JSON.stringify(name)}`)
  if (name === '') throw new ArtifactInputError('Artifact names must not be empty.')
  return name
}

/** Checks an artifact type (≤ 128 characters, no '/' or ':', not the reserved "wandb-" types). */
export function validateArtifactType(type: string): string {
  if (type === '' || /[/:]/.test(type)) throw new ArtifactInputError(`Artifact types must not be empty or contain '/' or ':'. Got: ${JSON.stringify(type)}`)
  if (type.length > NAME_MAXLEN) throw new ArtifactInputError(`Artifact types must be less than or equal to ${NAME_MAXLEN} characters`)
  if (type.startsWith('wandb-')) throw new ArtifactInputError(`Artifact type ${JSON.stringify(type)} is reserved for internal use.`)
  return type
}

/** Checks aliases (no '/' or ':'); returns them deduplicated with "latest" added, as `run.log_artifact` does. */
export function resolveAliases(aliases: readonly string[]): string[] {
  for (const a of aliases) {
    if (a === '' || /[/:]/.test(a)) throw new ArtifactInputError(`Aliases must not be empty or contain '/' or ':'. Got: ${JSON.stringify(a)}`)
  }
  return [...new Set([...aliases, 'latest'])]
}
