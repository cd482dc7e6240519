import {Args, Flags} from '@oclif/core'
import {KeyInputError, login, loginStatus, promptHidden, readExplicitKey} from '../core/credentials/index.ts'
import {NexusCommand} from './base-command.ts'

export default class Login extends NexusCommand {
  static override summary = 'Verify an API key and store it in your netrc, as `wandb login` does.'
  static override description =
    `The key comes from the KEY argument, --key-file, standard input (KEY = "-"), or a hidden prompt on a terminal. By default it is verified with the server (Viewer query) before anything is written.

The netrc entry is written exactly as the wandb SDK writes it (mode 0600, other hosts untouched), and --host is saved as base_url in the global wandb settings file, so Python processes find both.

Without a key, the key already configured (WANDB_API_KEY, netrc, settings) is verified and reported; --relogin asks for a new one.`
  static override examples = ['<%= config.bin %> login', '<%= config.bin %> login --host http://127.0.0.1:8080 $KEY', 'cat key.txt | <%= config.bin %> login -', '<%= config.bin %> login --status']
  static override args = {
    key: Args.string({description: 'API key, or "-" to read it from standard input', required: false}),
  }
  static override flags = {
    'key-file': Flags.file({description: 'read the API key from this file', exists: true}),
    host: Flags.string({description: 'W&B server URL (cloud or self-hosted); saved as the default server', aliases: ['base-url']}),
    cloud: Flags.boolean({description: "log in to the W&B cloud (the SDK's default server)", exclusive: ['host']}),
    relogin: Flags.boolean({description: 'ask for a key even if one is already configured'}),
    verify: Flags.boolean({description: 'verify the key with the server before storing it', default: true, allowNo: true}),
    entity: Flags.string({description: 'entity (user or team) to use as default; saved to the global settings file'}),
    status: Flags.boolean({description: 'show who is logged in where (never prints the key)', exclusive: ['key-file', 'relogin', 'entity', 'cloud']}),
    json: Flags.boolean({
      description: 'one JSON object (never the key): {"schema": 1, "baseUrl", "credentials", "user", "entity", "teams", "netrc", "settingsChanges"}; with --status also "loggedIn" and "problem"',
    }),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Login)
    if (flags.status) {
      if (args.key !== undefined) throw new KeyInputError('--status takes no KEY.')
      const status = await loginStatus({host: flags.host, verify: flags.verify})
      if (flags.json) {
        this.log(
          JSON.stringify({
            schema: 1,
            baseUrl: status.baseUrl,
            credentials: status.credentials ?? null,
            loggedIn: status.problem === undefined && status.credentials !== undefined,
            ...identityJson(status.identity),
            problem: status.problem?.userText ?? null,
          }),
        )
      } else {
        for (const line of status.lines) this.log(line)
      }
      if (status.problem) throw status.problem
      return
    }
    const key = await readExplicitKey({arg: args.key, keyFile: flags['key-file'], readStdin: () => Bun.stdin.text()})
    const result = await login({
      key,
      host: flags.host,
      cloud: flags.cloud,
      relogin: flags.relogin,
      verify: flags.verify,
      entity: flags.entity,
      prompt: process.stdin.isTTY ? (url) => this.prompt(url) : undefined,
      notice: (line) => this.logToStderr(line),
    })
    if (flags.json) {
      this.log(
        JSON.stringify({
          schema: 1,
          baseUrl: result.baseUrl.url,
          credentials: result.keyDescription,
          ...identityJson(result.identity),
          netrc: result.netrc ? {path: result.netrc.path, machine: result.netrc.machine, created: result.netrc.created} : null,
          settingsChanges: result.settingsChanges.map((c) => ({path: c.path, key: c.key, before: c.before ?? null, after: c.after ?? null})),
        }),
      )
      return
    }
    for (const line of result.lines) this.log(line)
  }

  /** The SDK's prompt: where to create a key, then a hidden input line (all on stderr). */
  private prompt(authorizeUrl: string): Promise<string> {
    process.stderr.write(`Create a new API key at: ${authorizeUrl}\nStore your API key securely and do not share it.\n`)
    return promptHidden('Paste your API key and hit enter: ', process.stdin, process.stderr)
  }
}

/** The account's names for --json (null when not verified). */
function identityJson(identity: {username: string; entity: string; teams: string[]} | undefined): {user: string | null; entity: string | null; teams: string[]} {
  return {user: identity?.username ?? null, entity: identity?.entity ?? null, teams: identity?.teams ?? []}
}
