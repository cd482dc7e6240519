import {Args, Flags} from '@oclif/core'
import {artifactCommandError, putArtifact} from '../../core/artifacts/index.ts'
import {NoApiKeyError, SettingsFiles, resolveApiKey, resolveBaseUrl} from '../../core/credentials/index.ts'
import {LogLevel, nullLogger} from '../../core/observability/index.ts'
import {createStream} from '../../core/stream/index.ts'
import {NexusCommand} from '../base-command.ts'
import {TransferProgressView} from '../ui/transfer-progress.ts'

export default class ArtifactPut extends NexusCommand {
  static override summary = 'Upload a file or directory as a new artifact version.'
  static override description =
    `Does what \`wandb artifact put\` does, without Python: a run with job_type "cli_put" logs the artifact and finishes. Entity and project default to WANDB_ENTITY / WANDB_PROJECT, the settings files, then your default entity and "uncategorized". Credentials: --api-key, WANDB_API_KEY, then netrc.`
  static override examples = ['<%= config.bin %> artifact put ./data -n my-entity/my-project/dataset -t dataset -a v-final']
  static override args = {
    path: Args.string({description: 'file or directory to upload', required: true}),
  }
  static override flags = {
    name: Flags.string({char: 'n', description: 'artifact name: [entity/project/]name (default: basename of PATH)'}),
    type: Flags.string({char: 't', description: 'artifact type', default: 'dataset'}),
    alias: Flags.string({char: 'a', description: 'alias to apply (repeatable; "latest" is always added)', multiple: true}),
    description: Flags.string({char: 'd', description: 'description of the artifact'}),
    id: Flags.string({description: 'run id to log the artifact from'}),
    resume: Flags.boolean({description: 'resume the run given by --id'}),
    'skip-cache': Flags.boolean({description: 'do not copy the files into the local artifact cache', aliases: ['skip_cache']}),
    policy: Flags.option({options: ['mutable', 'immutable'] as const, description: 'staging policy', default: 'mutable'})(),
    quiet: Flags.boolean({char: 'q', description: 'print only the result (and errors): no status or progress lines'}),
    json: Flags.boolean({description: 'print one JSON object: {"schema": 1, "artifactId", "entity", "project", "name", "version", "runId", "use", "warnings"}'}),
    'api-key': Flags.string({description: 'API key (default: WANDB_API_KEY, then netrc)'}),
    'base-url': Flags.string({description: 'W&B server URL (default: WANDB_BASE_URL, then the settings files)'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ArtifactPut)
    try {
      const base = resolveBaseUrl({flag: flags['base-url'], flagName: '--base-url'})
      const key = resolveApiKey({flag: flags['api-key'], flagName: '--api-key', baseUrl: base.url})
      if (!key) throw new NoApiKeyError(base.url)
      const settings = SettingsFiles.load().all()
      const quiet = flags.quiet || flags.json
      const status = (line: string) => quiet || this.logToStderr(`nexus: ${line}`)
      const view = new TransferProgressView({label: 'uploading', quiet, print: (line) => this.logToStderr(line)})
      let result
      try {
        result = await putArtifact({
          path: args.path,
          name: flags.name,
          type: flags.type,
          aliases: flags.alias,
          description: flags.description,
          runId: flags.id,
          resume: flags.resume,
          skipCache: flags['skip-cache'],
          policy: flags.policy,
          baseUrl: base.url,
          apiKey: key.apiKey,
          defaults: {entity: settings.get('entity'), project: settings.get('project')},
          openStream: (proto, runId) => createStream(proto, runId, {logger: nullLogger, logLevel: LogLevel.INFO, print: () => {}}),
          log: status,
          onProgress: (p) => view.update(p),
        })
      } finally {
        view.stop()
      }
      for (const warning of result.warnings) status(`WARNING ${warning}`)
      const version = result.version === undefined ? 'latest' : `v${result.version}`
      const use = `${result.entity}/${result.project}/${result.name}:${version}`
      if (flags.json) {
        const {artifactId, entity, project, name, runId, warnings} = result
        this.log(JSON.stringify({schema: 1, artifactId, entity, project, name, version: result.version ?? null, runId, use, warnings}))
      } else {
        this.log('Artifact uploaded, use this artifact in a run by adding:\n')
        this.log(`    artifact = run.use_artifact("${use}")\n`)
      }
    } catch (err) {
      throw artifactCommandError(err, 'put')
    }
  }
}
