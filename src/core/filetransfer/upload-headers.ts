/**
 * The W&B server hands signed-URL headers out as strings "Name: value" (CreateRunFiles'
 * `uploadHeaders`, artifact upload headers). Split at the first colon, the value trimmed.
 */

/** Parsed headers, plus the entries that had no colon and were skipped (for a log line). */
export interface ParsedUploadHeaders {
  headers: Record<string, string>
  malformed: string[]
}

/** Parses "Name: value" strings; a repeated name keeps its values joined by ", " as HTTP does. */
export function parseUploadHeaders(lines: readonly string[]): ParsedUploadHeaders {
  const headers: Record<string, string> = {}
  const malformed: string[] = []
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon < 0) {
      malformed.push(line)
      continue
    }
    const name = line.slice(0, colon).trim()
    const value = line.slice(colon + 1).trim()
    if (name === '') {
      malformed.push(line)
      continue
    }
    const existing = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase())
    if (existing !== undefined) headers[existing] = `${headers[existing]}, ${value}`
    else headers[name] = value
  }
  return {headers, malformed}
}

/** The value of header `name` (case-insensitive) in `headers`, if present. */
export function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined
  const lower = name.toLowerCase()
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v
  return undefined
}
