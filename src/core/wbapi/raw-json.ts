/**
 * Slicing JSON text without re-encoding it. The passthrough hands the server's `data` to the SDK
 * byte for byte (as Go's json.RawMessage does): decoding and re-encoding in JavaScript would round
 * integers beyond 2^53 (Int64 steps, byte counts, ids).
 */

/**
 * The raw text of member `key` of the top-level object in `json` (the last one if repeated), or
 * undefined when there is no such member or `json` is not an object.
 */
export function rawMember(json: string, key: string): string | undefined {
  let found: string | undefined
  for (const [name, value] of rawMembers(json) ?? []) if (name === key) found = value
  return found
}

/**
 * The members of the top-level object in `json` as [name, raw value text] pairs in document
 * order, or undefined when `json` is not an object. `json` must be well formed (JSON, where
 * values may also be the bare NaN / Infinity / -Infinity tokens W&B history rows can hold).
 */
export function rawMembers(json: string): Array<[string, string]> | undefined {
  let i = skipSpace(json, 0)
  if (json[i] !== '{') return undefined
  i = skipSpace(json, i + 1)
  const out: Array<[string, string]> = []
  while (i < json.length && json[i] !== '}') {
    const keyEnd = endOfString(json, i)
    const name = JSON.parse(json.slice(i, keyEnd)) as string
    i = skipSpace(json, keyEnd)
    i = skipSpace(json, i + 1) // the ':'
    const valueEnd = endOfValue(json, i)
    out.push([name, json.slice(i, valueEnd)])
    i = skipSpace(json, valueEnd)
    if (json[i] === ',') i = skipSpace(json, i + 1)
  }
  return out
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && (s[i] === ' ' || s[i] === '\n' || s[i] === '\r' || s[i] === '\t')) i++
  return i
}

/** Index just past the string literal starting at `i` (which is a '"'). */
function endOfString(s: string, i: number): number {
  let j = i + 1
  while (j < s.length) {
    const c = s[j]
    if (c === '\\') j += 2
    else if (c === '"') return j + 1
    else j++
  }
  return j
}

/** Index just past the JSON value starting at `i`. */
function endOfValue(s: string, i: number): number {
  const c = s[i]
  if (c === '"') return endOfString(s, i)
  if (c === '{' || c === '[') {
    let depth = 0
    let j = i
    while (j < s.length) {
      const d = s[j]
      if (d === '"') {
        j = endOfString(s, j)
        continue
      }
      if (d === '{' || d === '[') depth++
      else if (d === '}' || d === ']') {
        depth--
        if (depth === 0) return j + 1
      }
      j++
    }
    return j
  }
  // number, true, false, null: up to the next delimiter
  let j = i
  while (j < s.length && !',}] \n\r\t'.includes(s[j])) j++
  return j
}
