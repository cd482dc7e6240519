/** Concurrency primitives and random ids, with no W&B knowledge. */
export {Channel} from './channel.ts'
export {Deferred} from './deferred.ts'
export {Semaphore} from './semaphore.ts'
export {systemClock} from './clock.ts'
export type {Clock} from './clock.ts'
export {randomId} from './random-id.ts'
