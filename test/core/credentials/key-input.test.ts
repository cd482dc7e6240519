import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {PassThrough} from 'node:stream'
import {CredentialsFileError, KeyInputError} from '../../../src/core/credentials/errors.ts'
import {promptHidden, readExplicitKey} from '../../../src/core/credentials/key-input.ts'
import {TempHome, testKey} from './helpers.ts'

let h: TempHome
beforeEach(() => {
  h = new TempHome()
})
afterEach(() => h.dispose())

const noStdin = async () => {
  throw new Error('stdin must not be read')
}

describe('readExplicitKey', () => {
  test('takes the argument as is, and undefined when nothing is given', async () => {
    expect(await readExplicitKey({arg: testKey(), readStdin: noStdin})).toEqual({apiKey: testKey(), description: 'the command line'})
    expect(await readExplicitKey({readStdin: noStdin})).toBeUndefined()
  })

  test('reads "-" from standard input and a --key-file, trimming the newline', async () => {
    expect(await readExplicitKey({arg: '-', readStdin: async () => `${testKey(1)}\n`})).toEqual({apiKey: testKey(1), description: 'standard input'})
    const file = join(h.dir, 'key.txt')
    writeFileSync(file, `  ${testKey(2)}\r\n`)
    expect(await readExplicitKey({keyFile: file, readStdin: noStdin})).toMatchObject({apiKey: testKey(2)})
  })

  test('refuses empty input, two sources at once, and an unreadable file', async () => {
    expect(await readExplicitKey({arg: '-', readStdin: async () => '\n'}).catch((e) => e)).toBeInstanceOf(KeyInputError)
    expect(await readExplicitKey({arg: testKey(), keyFile: 'x', readStdin: noStdin}).catch((e) => e)).toMatchObject({exitCode: 2})
    expect(await readExplicitKey({keyFile: h.dir, readStdin: noStdin}).catch((e) => e)).toBeInstanceOf(CredentialsFileError)
  })
})

/** A fake terminal: a stream with setRawMode that records the raw-mode switches. */
function fakeTty() {
  const input = Object.assign(new PassThrough(), {
    raw: [] as boolean[],
    setRawMode(raw: boolean) {
      input.raw.push(raw)
    },
  })
  let written = ''
  const rawWhenWritten: boolean[] = []
  const output = {
    write: (s: string) => {
      rawWhenWritten.push(input.raw.at(-1) ?? false)
      written += s
    },
  }
  return {input, output, written: () => written, rawWhenWritten}
}

describe('promptHidden', () => {
  test('reads a line without echoing it, handling backspace, and restores the terminal', async () => {
    const tty = fakeTty()
    const answer = promptHidden('Key: ', tty.input, tty.output)
    tty.input.write('abcX\u007fdef')
    tty.input.write('\r')
    expect(await answer).toBe('abcdef')
    expect(tty.written()).toBe('Key: \n')
    expect(tty.input.raw).toEqual([true, false])
    expect(tty.rawWhenWritten[0]).toBe(true) // echo was off before the question appeared
  })

  test('Ctrl-C cancels with a KeyInputError', async () => {
    const tty = fakeTty()
    const answer = promptHidden('Key: ', tty.input, tty.output)
    tty.input.write('ab\u0003')
    expect(await answer.catch((e) => e)).toBeInstanceOf(KeyInputError)
    expect(tty.input.raw).toEqual([true, false])
  })

  test('a closed input without a key is a KeyInputError', async () => {
    const tty = fakeTty()
    const answer = promptHidden('Key: ', tty.input, tty.output)
    tty.input.end()
    expect(await answer.catch((e) => e)).toMatchObject({userText: expect.stringContaining('No API key entered')})
  })
})
