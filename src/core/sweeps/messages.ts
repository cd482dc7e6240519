/**
 * The text `wandb sweep` 0.31 prints (without its "wandb: " prefix and colours): the sweep URL,
 * the `wandb agent` path, and the server's config warnings.
 */

/** Python's `urllib.parse.quote(s)` (safe "/"): UTF-8 percent-encoding of all but A-Za-z0-9_.-~/. */
export function pyQuote(s: string): string {
  let out = ''
  for (const byte of new TextEncoder().encode(s)) {
    const ch = String.fromCharCode(byte)
    out += /[A-Za-z0-9_.\-~/]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/** wandb_sweep._get_sweep_url: `<app url>/<entity>/<project>/sweeps/<id>`, or undefined without entity and project. */
export function sweepUrl(appUrl: string, entity: string | undefined, project: string | undefined, sweepId: string): string | undefined {
  if (!entity || !project) return undefined
  return `${appUrl}/${pyQuote(entity)}/${pyQuote(project)}/sweeps/${pyQuote(sweepId)}`
}

/** Python's `repr(str)`. */
export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'"
  let out = ''
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number
    if (ch === '\\') out += '\\\\'
    else if (ch === quote) out += `\\${quote}`
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`
    else if (cp > 0x7f && /[\p{C}\p{Z}]/u.test(ch)) {
      out += cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`
    } else out += ch
  }
  return `${quote}${out}${quote}`
}

/** The argument of `wandb agent`: entity/project/id, project/id or id; repr-quoted when it has a space. */
export function agentPath(entity: string | undefined, project: string | undefined, sweepId: string): string {
  const path = entity && project ? `${entity}/${project}/${sweepId}` : project ? `${project}/${sweepId}` : sweepId
  return path.includes(' ') ? pyRepr(path) : path
}

/** sweep_config_err_text_from_jsonschema_violations: the warning lines for the server's config warnings. */
export function violationLines(warnings: readonly string[]): string[] {
  if (warnings.length === 0) return []
  const text = [
    'Malformed sweep config detected! This may cause your sweep to behave in unexpected ways.',
    'To avoid this, please fix the sweep config schema violations below:',
    ...warnings.map((w, i) => `  Violation ${i + 1}. ${w}`),
  ].join('\n')
  return text.split('\n')
}
