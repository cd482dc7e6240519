/**
 * Remembers failed HTTP responses (status and a body snippet) so the SDK's network_status
 * request can show users what the server is saying ("429 Too Many Requests, retrying").
 * Bounded: keeps the last 32. `drain()` returns and forgets them.
 */
export interface PeekedResponse {
  status: number
  text: string
}

const KEEP = 32

export class NetworkPeeker {
  #responses: PeekedResponse[] = []

  record(status: number, text: string): void {
    this.#responses.push({status, text: text.slice(0, 1000)})
    if (this.#responses.length > KEEP) this.#responses.shift()
  }

  drain(): PeekedResponse[] {
    return this.#responses.splice(0)
  }

  get size(): number {
    return this.#responses.length
  }
}
