/**
 * Getting an API key from the user: the KEY argument, `-` for standard input, `--key-file`, or a
 * hidden prompt on a terminal (nothing echoed). File and stdin input is trimmed of surrounding
 * whitespace (the trailing newline of `echo KEY |`).
 */
import {readFileSync} from 'node:fs'
import {CredentialsFileError, KeyInputError} from './errors.ts'

/** An explicitly given key and a phrase naming its origin (never print `apiKey`). */
export interface ExplicitKey {
  apiKey: string
  description: string
}

/** Options of readExplicitKey. */
export interface ExplicitKeyOptions {
  /** The KEY argument; "-" reads standard input. */
  arg?: string
  /** --key-file. */
  keyFile?: string
  /** Reads all of standard input (called only for "-"). */
  readStdin: () => Promise<string>
}

/**
 * The key given on the command line, or undefined when none was. Throws KeyInputError when both
 * KEY and --key-file are given or the input is empty, CredentialsFileError when the file is unreadable.
 */
export async function readExplicitKey(o: ExplicitKeyOptions): Promise<ExplicitKey | undefined> {
  if (o.arg !== undefined && o.keyFile !== undefined) throw new KeyInputError('Give the API key either as KEY or with --key-file, not both.')
  if (o.arg === '-') return nonEmpty((await o.readStdin()).trim(), 'standard input')
  if (o.arg !== undefined) return nonEmpty(o.arg, 'the command line')
  if (o.keyFile === undefined) return undefined
  let text: string
  try {
    text = readFileSync(o.keyFile, 'utf8')
  } catch (err) {
    throw new CredentialsFileError('read', o.keyFile, err)
  }
  return nonEmpty(text.trim(), `key file ${o.keyFile}`)
}

function nonEmpty(apiKey: string, description: string): ExplicitKey {
  if (apiKey === '') throw new KeyInputError(`No API key in ${description}.`)
  return {apiKey, description}
}

/** The terminal side of a prompt: process.stdin in a CLI, a stream in tests. */
export interface PromptInput {
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown
  on(event: 'end', listener: () => void): unknown
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown
  off(event: 'end', listener: () => void): unknown
  resume(): unknown
  pause(): unknown
  setRawMode?(raw: boolean): unknown
}

/**
 * Prints `question` to `output` and reads one line from `input` without echoing it (raw mode on
 * a terminal). Enter ends the line, Backspace deletes, Ctrl-C or a closed input cancels with a
 * KeyInputError. The terminal is restored in every case.
 */
export function promptHidden(question: string, input: PromptInput, output: {write(s: string): unknown}): Promise<string> {
  // echo off before the question appears, so a key typed or pasted at once is never shown
  input.setRawMode?.(true)
  output.write(question)
  return new Promise<string>((resolve, reject) => {
    let value = ''
    const done = (err?: Error) => {
      input.off('data', onData)
      input.off('end', onEnd)
      input.setRawMode?.(false)
      input.pause()
      output.write('\n')
      if (err) reject(err)
      else resolve(value)
    }
    const onEnd = () => done(value === '' ? new KeyInputError('No API key entered; nothing was written.') : undefined)
    const onData = (chunk: Buffer | string) => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done()
        if (ch === '\u0003') return done(new KeyInputError('Login cancelled; nothing was written.'))
        if (ch === '\u0004') return onEnd()
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1)
        else if (ch >= ' ') value += ch
      }
    }
    input.on('data', onData)
    input.on('end', onEnd)
    input.resume()
  })
}
