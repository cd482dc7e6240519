/** A promise with its resolve/reject exposed, for answers that arrive from elsewhere. */
export class Deferred<T> {
  readonly promise: Promise<T>
  resolve!: (value: T) => void
  reject!: (reason: unknown) => void
  #settled = false

  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolve = (v) => {
        if (this.#settled) return
        this.#settled = true
        resolve(v)
      }
      this.reject = (e) => {
        if (this.#settled) return
        this.#settled = true
        reject(e)
      }
    })
  }

  get settled(): boolean {
    return this.#settled
  }
}
