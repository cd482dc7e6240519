/**
 * What file_stream requests carried, re-sent lines included: per run and file, how many content
 * lines and bytes arrived (`GET /_inspect/filestream`). The stored lines cannot tell a re-sent line
 * from a new one (a retry overwrites its offset); this can, so resumability tests measure what a
 * client sends again instead of counting requests.
 */

/** Content received for one file of one run. */
export interface FileStreamTallyRow {
  entity: string
  project: string
  run: string
  /** The file_stream file name (`wandb-history.jsonl`, `output.log`, …). */
  file: string
  /** Content lines received, re-sent ones counted again. */
  lines: number
  /** UTF-8 bytes of those lines. */
  bytes: number
}

/** Counters, in memory (cleared by `POST /_inspect/reset`). */
export class FileStreamTally {
  readonly #rows = new Map<string, FileStreamTallyRow>()

  /** Counts `content` received for `file` of a run. */
  add(entity: string, project: string, run: string, file: string, content: string[]): void {
    const key = JSON.stringify([entity, project, run, file])
    const row = this.#rows.get(key) ?? {entity, project, run, file, lines: 0, bytes: 0}
    row.lines += content.length
    for (const line of content) row.bytes += Buffer.byteLength(line)
    this.#rows.set(key, row)
  }

  /** Copies of the rows, sorted by entity, project, run, file. */
  list(): FileStreamTallyRow[] {
    return [...this.#rows.values()].map((r) => ({...r})).sort((a, b) => (a.entity + a.project + a.run + a.file < b.entity + b.project + b.run + b.file ? -1 : 1))
  }

  clear(): void {
    this.#rows.clear()
  }
}
