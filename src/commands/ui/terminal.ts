import chalk from 'chalk'
import ora, {type Ora} from 'ora'

/** NO_COLOR is honoured by hand: chalk 6 ignores it. */
export const noColor = 'NO_COLOR' in process.env
if (noColor) chalk.level = 0

/**
 * Whether live progress may be drawn: stderr is a TTY with a width (ora loops forever on a
 * 0-column pseudo-terminal), not CI, not TERM=dumb.
 */
export function interactive(stream: NodeJS.WriteStream = process.stderr): boolean {
  return Boolean(stream.isTTY) && (stream.columns ?? 0) > 0 && !process.env.CI && process.env.TERM !== 'dumb'
}

/** An ora spinner that degrades to nothing when not interactive. */
export function spinner(text: string): Ora {
  return ora({text, isEnabled: interactive(), color: noColor ? undefined : 'cyan', stream: process.stderr})
}

export {chalk}
