/**
 * Every exit code the nexus CLI can return, in one place.
 * oclif itself uses 2 for usage errors (unknown flag, missing argument); we keep that meaning.
 */
export const ExitCode = {
  /** Everything the command was asked to do was done. */
  OK: 0,
  /** Unexpected internal error. */
  INTERNAL: 1,
  /** Bad usage: unknown flag, missing argument, invalid value (oclif's own code). */
  USAGE: 2,
  /** The command exists but its engine is not built in this version. */
  NOT_IMPLEMENTED: 3,
  /** Credentials missing or rejected by the server (401/403). */
  AUTH: 4,
  /** The server could not be reached, or kept failing after retries. */
  NETWORK: 5,
  /** Some runs or files were synced, others failed (sync). */
  PARTIAL: 6,
  /** Input data is damaged: corrupt or truncated .wandb file; intact records were still synced. */
  DAMAGED: 7,
  /** A local file could not be read or written (permissions, malformed netrc/settings file). */
  LOCAL_FILE: 8,
  /** Another process is syncing the same run (sync): that run was skipped. */
  BUSY: 9,
  /** Stopped by SIGINT (Ctrl-C): 128 + 2, as shells report it. */
  SIGINT: 130,
  /** Stopped by SIGTERM: 128 + 15. */
  SIGTERM: 143,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]
