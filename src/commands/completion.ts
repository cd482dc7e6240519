import {Args} from '@oclif/core'
import {NexusCommand} from './base-command.ts'
import {SHELLS, completionScript, type CompletionCommand, type Shell} from './completion-script.ts'

export default class Completion extends NexusCommand {
  static override summary = 'Print a shell completion script (bash, zsh or fish) for the nexus commands and their flags.'
  static override examples = [
    'eval "$(<%= config.bin %> completion bash)"   # in ~/.bashrc',
    'eval "$(<%= config.bin %> completion zsh)"    # in ~/.zshrc',
    '<%= config.bin %> completion fish > ~/.config/fish/completions/<%= config.bin %>.fish',
  ]
  static override args = {
    shell: Args.string({description: 'bash, zsh or fish', options: [...SHELLS], required: true}),
  }

  async run(): Promise<void> {
    const {args} = await this.parse(Completion)
    const commands: CompletionCommand[] = this.config.commands
      .filter((c) => !c.hidden)
      .map((c) => ({
        words: c.id.split(':'),
        summary: c.summary,
        flags: Object.entries(c.flags ?? {})
          .filter(([, f]) => !f.hidden)
          .map(([name, f]) => ({name, char: f.char, description: f.summary ?? f.description})),
      }))
      .sort((a, b) => a.words.join(' ').localeCompare(b.words.join(' ')))
    this.log(completionScript(args.shell as Shell, this.config.bin, commands).trimEnd())
  }
}
