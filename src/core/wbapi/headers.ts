/**
 * Header maps with lower-case names. HttpClient spreads per-request headers over its own
 * defaults, so names must be lower case for a later layer (the SDK's User-Agent among the extra
 * headers) to replace an earlier one instead of being sent twice.
 */

/** Merges header maps; names are lower-cased and later maps win. */
export function mergeHeaders(...layers: Array<Record<string, string> | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const layer of layers) {
    for (const [name, value] of Object.entries(layer ?? {})) out[name.toLowerCase()] = value
  }
  return out
}
