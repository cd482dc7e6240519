/**
 * `nexus completion bash|zsh|fish` from the compiled binary: the bash script, sourced in a real
 * bash, completes command words (topics included), each command's flags, and files after a
 * command; the fish script names every command and flag.
 */
import {describe, expect, test} from 'bun:test'
import {hostBinary, run} from '../helpers/binary.ts'

/** Completions bash offers for `words`, the last one being completed. */
async function complete(script: string, words: string[]): Promise<string[]> {
  const arr = words.map((w) => `'${w}'`).join(' ')
  const r = await run(['bash', '-c', `${script}\nCOMP_WORDS=(${arr}); COMP_CWORD=${words.length - 1}; _nexus_complete; printf '%s\\n' "\${COMPREPLY[@]}"`])
  expect(r.code).toBe(0)
  return r.stdout.split('\n').filter(Boolean)
}

describe('nexus completion', () => {
  test('bash: commands, sub-commands of topics, flags of the command typed so far', async () => {
    const gen = await run([hostBinary(), 'completion', 'bash'])
    expect(gen.code).toBe(0)
    const script = gen.stdout
    const top = await complete(script, ['nexus', ''])
    for (const c of ['sync', 'login', 'artifact', 'sweep', 'agent', 'controller', 'completion', 'version']) expect(top).toContain(c)
    expect(await complete(script, ['nexus', 'artifact', ''])).toEqual(expect.arrayContaining(['put', 'get']))
    expect(await complete(script, ['nexus', 'artifact', 'put', '--ty'])).toEqual(['--type'])
    expect(await complete(script, ['nexus', 'sync', '--dry'])).toEqual(['--dry-run'])
    expect(await complete(script, ['nexus', 'sync', './wandb/x', '--qu'])).toEqual(['--quiet'])
    // a hidden flag is not offered
    expect(await complete(script, ['nexus', 'sync', '--sync-t'])).toEqual([])
  })

  test('zsh is the bash script behind bashcompinit; fish lists commands and flags', async () => {
    const zsh = await run([hostBinary(), 'completion', 'zsh'])
    expect(zsh.stdout).toContain('bashcompinit')
    expect(zsh.stdout).toContain('complete -o filenames -F _nexus_complete nexus')
    const fish = await run([hostBinary(), 'completion', 'fish'])
    expect(fish.stdout).toContain("complete -c nexus -n '__fish_use_subcommand' -a sync")
    expect(fish.stdout).toContain("complete -c nexus -n '__fish_seen_subcommand_from artifact' -a put")
    expect(fish.stdout).toMatch(/complete -c nexus -n '__fish_seen_subcommand_from sync' -l dry-run/)
    const bad = await run([hostBinary(), 'completion', 'powershell'])
    expect(bad.code).toBe(2)
  })
})
