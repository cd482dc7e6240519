/**
 * Artifacts: saving (wandb-core's save flow, serialised per name, multipart for big files, the
 * local cache), linking, downloading (cache-aware, MD5-verified, path-safe), and the pieces the
 * CLI's `artifact put` / `artifact get` build on.
 */
export {parseArtifactPath, resolveAliases, validateArtifactName, validateArtifactType} from './artifact-path.ts'
export type {ArtifactPath} from './artifact-path.ts'
export {defaultEntity, openCliApi, retryOverridesFromEnv} from './cli-api.ts'
export {ARTIFACT_EXIT, artifactCommandError} from './cli-errors.ts'
export type {CliApi} from './cli-api.ts'
export {artifactDigest, b64ToHex, compareCodePoints, fileMd5, hexToB64, md5B64, md5Hex} from './digests.ts'
export type {FileDigest} from './digests.ts'
export {downloadArtifact} from './downloader.ts'
export type {DownloadRequest, DownloadResult, DownloaderDeps, TransferProgress} from './downloader.ts'
export {
  ArtifactError,
  ArtifactInputError,
  ArtifactMismatchError,
  ArtifactNotFoundError,
  ArtifactRunError,
  ArtifactSaveError,
  ArtifactTransferError,
  DigestMismatchError,
  ManifestError,
  UnsafePathError,
} from './errors.ts'
export {ArtifactFileCache, copyVerified, hasDigest, userCacheDir, verifiedMtime} from './file-cache.ts'
export {getArtifact} from './get-artifact.ts'
export type {GetArtifactOptions, GetArtifactResult} from './get-artifact.ts'
export {goJson, goJsonString} from './go-json.ts'
export {KeyedSerializer} from './keyed-serializer.ts'
export {isRegistryProject, linkArtifact, resolveOrgEntityName} from './linker.ts'
export type {LinkOptions} from './linker.ts'
export {buildLocalArtifact, listLocalFiles, randomBase36, stagingDir, userDataDir} from './local-artifact.ts'
export type {LocalArtifactOptions} from './local-artifact.ts'
export {encodeManifest, isXxh128, manifestFromProto, parseManifest} from './manifest.ts'
export type {Manifest, ManifestEntry} from './manifest.ts'
export {MULTIPART_THRESHOLD, multipartParts, partRanges, partSize} from './multipart.ts'
export {putArtifact} from './put-artifact.ts'
export type {PutArtifactOptions, PutArtifactResult} from './put-artifact.ts'
export {RunArtifacts} from './run-artifacts.ts'
export type {RunArtifactsOptions} from './run-artifacts.ts'
export {safeJoin} from './safe-path.ts'
export {ArtifactSaveManager, MAX_SIMULTANEOUS_SAVES} from './save-manager.ts'
export type {SaveManagerOptions} from './save-manager.ts'
export {createArtifactInput, deleteStagedFiles, saveArtifact} from './saver.ts'
export type {SaveRequest, SaverDeps} from './saver.ts'
export {cleanupArtifactCache} from './cache-cleanup.ts'
export type {CacheCleanupResult} from './cache-cleanup.ts'
export {fromHumanSize, toHumanSize} from './human-size.ts'
export {listArtifacts, parseProjectPath} from './list-artifacts.ts'
export type {ArtifactListing, ArtifactRow} from './list-artifacts.ts'
export {cacheCleanupCommandError, listCommandError} from './local-command-errors.ts'
