/**
 * Shell completion scripts for `nexus completion bash|zsh|fish`, generated from the command table:
 * command words (topics such as `artifact put` included) and each command's flags.
 */

/** One command as completion sees it: its words (`['artifact', 'put']`) and its flags. */
export interface CompletionCommand {
  words: string[]
  flags: {name: string; char?: string; description?: string}[]
  summary?: string
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type Shell = (typeof SHELLS)[number]

export function completionScript(shell: Shell, bin: string, commands: readonly CompletionCommand[]): string {
  return shell === 'fish' ? fish(bin, commands) : bashLike(shell, bin, commands)
}

/** Every word sequence that has a next word: `''` → top-level words, `'artifact'` → put, get… */
function children(commands: readonly CompletionCommand[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>()
  for (const c of commands) {
    for (let i = 0; i < c.words.length; i++) {
      const key = c.words.slice(0, i).join(' ')
      const set = out.get(key) ?? new Set<string>()
      set.add(c.words[i])
      out.set(key, set)
    }
  }
  return out
}

const flagWords = (c: CompletionCommand) => c.flags.flatMap((f) => [`--${f.name}`, ...(f.char ? [`-${f.char}`] : [])]).concat('--help')

function bashLike(shell: 'bash' | 'zsh', bin: string, commands: readonly CompletionCommand[]): string {
  const fn = `_${bin.replace(/[^A-Za-z0-9_]/g, '_')}_complete`
  const cases = [...[...children(commands)].map(([prefix, next]) => `    ${JSON.stringify(`${prefix}`)}) words_next=${JSON.stringify([...next].sort().join(' '))} ;;`)]
  const flagCases = commands.map((c) => `    ${JSON.stringify(c.words.join(' '))}) flags=${JSON.stringify(flagWords(c).join(' '))} ;;`)
  return `# ${shell} completion for ${bin}: eval "$(${bin} completion ${shell})"${shell === 'zsh' ? ' (uses bashcompinit)' : ''}
${shell === 'zsh' ? 'autoload -U +X bashcompinit && bashcompinit\n' : ''}${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" w words_next="" flags="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
    local try="\${path:+$path }$w"
    case "$try" in
${[...children(commands).keys()]
  .filter((k) => k !== '')
  .map((k) => `      ${JSON.stringify(k)}) path="$try" ;;`)
  .join('\n')}
${commands
  .filter((c) => !children(commands).has(c.words.join(' ')))
  .map((c) => `      ${JSON.stringify(c.words.join(' '))}) path="$try" ;;`)
  .join('\n')}
    esac
  done
  case "$path" in
${cases.join('\n')}
  esac
  case "$path" in
${flagCases.join('\n')}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$words_next" -- "$cur"))
    [[ \${#COMPREPLY[@]} -eq 0 ]] && COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F ${fn} ${bin}
`
}

function fish(bin: string, commands: readonly CompletionCommand[]): string {
  const lines = [`# fish completion for ${bin}: ${bin} completion fish > ~/.config/fish/completions/${bin}.fish`, `complete -c ${bin} -f`]
  const esc = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
  for (const [prefix, next] of children(commands)) {
    const words = prefix === '' ? [] : prefix.split(' ')
    const cond = words.length === 0 ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${words.at(-1)}`
    for (const w of [...next].sort()) {
      const c = commands.find((x) => x.words.join(' ') === [...words, w].join(' '))
      lines.push(`complete -c ${bin} -n ${esc(cond)} -a ${w}${c?.summary ? ` -d ${esc(c.summary)}` : ''}`)
    }
  }
  for (const c of commands) {
    const cond = c.words.length === 0 ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${c.words.at(-1)}`
    for (const f of c.flags) lines.push(`complete -c ${bin} -n ${esc(cond)} -l ${f.name}${f.char ? ` -s ${f.char}` : ''}${f.description ? ` -d ${esc(f.description)}` : ''}`)
  }
  return `${lines.join('\n')}\n`
}
