import {createInterface} from 'node:readline'

/**
 * Asks a yes/no question on the terminal (stderr), default no. Without a terminal on stdin (a
 * batch job) nobody can answer: the answer is no, and the caller says how to skip the question.
 */
export async function confirm(question: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<boolean> {
  if (!input.isTTY) return false
  const rl = createInterface({input, output})
  try {
    const answer = await new Promise<string>((resolve) => rl.question(`${question} [y/N] `, resolve))
    return /^y(es)?$/i.test(answer.trim())
  } finally {
    rl.close()
  }
}
