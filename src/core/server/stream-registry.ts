import type {RunStream} from './run-stream.ts'

/**
 * Every live run of the service by stream id (the run id). Global to the server: any connection
 * may send records to any stream, and streams outlive the connection that created them.
 */
export class StreamRegistry {
  #streams = new Map<string, RunStream>()

  get(id: string): RunStream | undefined {
    return this.#streams.get(id)
  }

  /** Adds a stream; false if the id is taken. */
  add(stream: RunStream): boolean {
    if (this.#streams.has(stream.id)) return false
    this.#streams.set(stream.id, stream)
    return true
  }

  remove(id: string): RunStream | undefined {
    const s = this.#streams.get(id)
    this.#streams.delete(id)
    return s
  }

  /** Every stream, left in place. */
  all(): RunStream[] {
    return [...this.#streams.values()]
  }

  /** Removes and returns every stream. */
  drain(): RunStream[] {
    const all = [...this.#streams.values()]
    this.#streams.clear()
    return all
  }

  get size(): number {
    return this.#streams.size
  }
}
