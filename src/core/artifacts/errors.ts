/**
 * The errors of the artifact engine. Messages are for developers ("artifacts: …"); the CLI
 * commands turn them into user text and exit codes. Every error keeps its cause.
 */
import {WandbError} from '../errors.ts'

/** Base class of every artifact error. */
export class ArtifactError extends WandbError {
  override name = 'ArtifactError'
}

/** A save failed at `step` (createArtifact, uploadFiles, commitArtifact …); the cause says why. */
export class ArtifactSaveError extends ArtifactError {
  override name = 'ArtifactSaveError'
  readonly step: string
  constructor(step: string, cause: unknown) {
    super(`artifacts: ${step}: ${cause instanceof Error ? cause.message : String(cause)}`, {cause})
    this.step = step
  }
}

/** The server has no artifact (or membership) by that name, alias or id. */
export class ArtifactNotFoundError extends ArtifactError {
  override name = 'ArtifactNotFoundError'
  /** What is missing, e.g. "artifact e/p/name:v3" or "project e/p". */
  readonly what: string
  readonly detail: string
  constructor(what: string, detail = 'not found') {
    super(`artifacts: ${what}: ${detail}`)
    this.what = what
    this.detail = detail
  }
}

/** The artifact exists but is not what the caller asked for (another type, not committed yet). */
export class ArtifactMismatchError extends ArtifactError {
  override name = 'ArtifactMismatchError'
}

/** A manifest that cannot be read: bad JSON, a missing field, an unreadable manifest file. */
export class ManifestError extends ArtifactError {
  override name = 'ManifestError'
}

/** A manifest path that would leave the download root (absolute, `..`, empty segments, NUL). */
export class UnsafePathError extends ArtifactError {
  override name = 'UnsafePathError'
  readonly path: string
  constructor(path: string, reason: string) {
    super(`artifacts: refusing manifest path ${JSON.stringify(path)}: ${reason}`)
    this.path = path
  }
}

/** Downloaded (or cached) bytes whose MD5 is not the manifest's digest. */
export class DigestMismatchError extends ArtifactError {
  override name = 'DigestMismatchError'
  readonly path: string
  constructor(path: string, expected: string, actual: string) {
    super(`artifacts: ${path}: content has MD5 ${actual}, the manifest says ${expected}`)
    this.path = path
  }
}

/** A file transfer of an artifact ended without being delivered; `cause` is the Delivery's error. */
export class ArtifactTransferError extends ArtifactError {
  override name = 'ArtifactTransferError'
}

/** Bad input to an engine function (an invalid name, alias, type or path). */
export class ArtifactInputError extends ArtifactError {
  override name = 'ArtifactInputError'
}

/** The run that `artifact put` logs from could not be started; `kind` classifies the server's answer. */
export class ArtifactRunError extends ArtifactError {
  override name = 'ArtifactRunError'
  readonly kind: 'auth' | 'network' | 'other'
  constructor(message: string, kind: 'auth' | 'network' | 'other') {
    super(`artifacts: the run could not be started: ${message}`)
    this.kind = kind
  }
}
