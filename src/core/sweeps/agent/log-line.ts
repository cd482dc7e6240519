/**
 * The lines of wandb's agent logger, which `wandb agent` prints on stderr with Python logging's
 * "%(asctime)s - %(name)s - %(levelname)s - %(message)s" (local time, milliseconds after a comma).
 */

/** One logger line for `message` at `date`. */
export function agentLogLine(date: Date, level: string, message: string): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  const time = `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())},${p(date.getMilliseconds(), 3)}`
  return `${time} - wandb.wandb_agent - ${level} - ${message}`
}
