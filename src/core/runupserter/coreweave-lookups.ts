import type {Settings} from '../proto.ts'

/** The CoreWeave lookup of each live run, by the run's Settings message (the stream shares one object). */
const lookups = new WeakMap<Settings, Promise<void>>()

/**
 * Records the CoreWeave lookup a RunUpserter started for the run with `settings`, so that the
 * run's system monitor can wait for it before it describes the hardware: wandb-core merges the
 * CoreWeave record into that description, and so the record reaches wandb-metadata.json whatever
 * the timing. The entry goes away with the Settings object.
 */
export function registerCoreWeaveLookup(settings: Settings, lookup: Promise<void>): void {
  lookups.set(settings, lookup)
}

/** The run's CoreWeave lookup (settles, never rejects), or undefined when none was started. */
export function coreWeaveLookup(settings: Settings): Promise<void> | undefined {
  return lookups.get(settings)
}
