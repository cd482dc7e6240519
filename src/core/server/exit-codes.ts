/** Go core's exit code after a signal (its own module, so the node service's light part needs no server code). */
export const SIGNAL_EXIT_CODE = 128
