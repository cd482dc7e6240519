import {Args, Flags} from '@oclif/core'
import {listArtifacts, listCommandError, type ArtifactRow} from '../../core/artifacts/index.ts'
import {NoApiKeyError, SettingsFiles, resolveApiKey, resolveBaseUrl} from '../../core/credentials/index.ts'
import {NexusCommand} from '../base-command.ts'
import {wandbLines} from '../ui/wandb-lines.ts'

export default class ArtifactLs extends NexusCommand {
  static override summary = 'List the artifacts of a project: the latest version of each collection.'
  static override description =
    `Does what \`wandb artifact ls\` does, without Python: one line per artifact collection (type, last updated, size, name:version of its newest committed version; "N/A … (no versions)" for a collection without one), printed on stderr with wandb's "wandb: " prefix, in the server's order. PATH is ENTITY/PROJECT or PROJECT (the entity then comes from WANDB_ENTITY, the settings files, or your default entity); registry projects (wandb-registry-*) resolve through your organization.

Unlike wandb, a missing project, a missing type or a malformed path ends with a one-line error instead of a Python traceback, and wandb's own deprecation warning about its internal API is not printed. Exit codes: 0 listed; 1 no such project or type; 2 bad path; 4 credentials missing or rejected; 5 server unreachable. Credentials: --api-key, WANDB_API_KEY, then netrc.`
  static override examples = ['<%= config.bin %> artifact ls team-awesome/foobar', '<%= config.bin %> artifact ls --type model team-awesome/foobar', '<%= config.bin %> artifact ls foobar --json']
  static override args = {
    path: Args.string({description: 'ENTITY/PROJECT (or PROJECT) to list', required: true}),
  }
  static override flags = {
    type: Flags.string({char: 't', description: 'only artifacts of this type'}),
    json: Flags.boolean({description: 'one JSON object on stdout: {"schema": 1, "entity", "project", "artifacts": [{"type", "collection", "version", "name", "updatedAt", "size"}]} (no wandb lines)'}),
    'api-key': Flags.string({description: 'API key (default: WANDB_API_KEY, then netrc)'}),
    'base-url': Flags.string({description: 'W&B server URL (default: WANDB_BASE_URL, then the settings files)'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ArtifactLs)
    const term = wandbLines((line) => this.logToStderr(line))
    try {
      const files = SettingsFiles.load()
      const base = resolveBaseUrl({flag: flags['base-url'], flagName: '--base-url', files})
      const key = resolveApiKey({flag: flags['api-key'], flagName: '--api-key', baseUrl: base.url, files})
      if (!key) throw new NoApiKeyError(base.url)
      const listing = await listArtifacts({
        path: args.path,
        type: flags.type,
        baseUrl: base.url,
        apiKey: key.apiKey,
        defaults: {entity: files.all().get('entity')},
        onRow: flags.json ? undefined : (row) => term.info(row.line),
      })
      if (flags.json) {
        const artifacts = listing.rows.map(({line: _line, ...row}: ArtifactRow) => row)
        this.log(JSON.stringify({schema: 1, entity: listing.entity, project: listing.project, artifacts}))
      }
    } catch (err) {
      throw listCommandError(err)
    }
  }
}
