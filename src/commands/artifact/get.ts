import {Args, Flags} from '@oclif/core'
import {artifactCommandError, getArtifact} from '../../core/artifacts/index.ts'
import {NoApiKeyError, SettingsFiles, resolveApiKey, resolveBaseUrl} from '../../core/credentials/index.ts'
import {NexusCommand} from '../base-command.ts'
import {TransferProgressView} from '../ui/transfer-progress.ts'

export default class ArtifactGet extends NexusCommand {
  static override summary = 'Download an artifact version to a directory.'
  static override description =
    `Does what \`wandb artifact get\` does, without Python. Files already in place or in the local artifact cache are not downloaded again; every file is checked against its MD5 and appears only when complete. Credentials: --api-key, WANDB_API_KEY, then netrc.`
  static override examples = ['<%= config.bin %> artifact get my-entity/my-project/dataset:latest --root ./data']
  static override args = {
    path: Args.string({description: 'artifact: [entity/project/]name[:version or alias]', required: true}),
  }
  static override flags = {
    root: Flags.directory({description: 'directory to download into (default ./artifacts/<name>:<version>)'}),
    type: Flags.string({description: 'expected artifact type'}),
    'skip-cache': Flags.boolean({description: 'neither read nor fill the local artifact cache'}),
    quiet: Flags.boolean({char: 'q', description: 'print only the download folder (and errors): no status or progress lines'}),
    json: Flags.boolean({description: 'print one JSON object: {"schema": 1, "root", "entity", "project", "name", "version", "type", "artifactId", "downloaded", "reused", "skippedReferences"}'}),
    'api-key': Flags.string({description: 'API key (default: WANDB_API_KEY, then netrc)'}),
    'base-url': Flags.string({description: 'W&B server URL (default: WANDB_BASE_URL, then the settings files)'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ArtifactGet)
    try {
      const base = resolveBaseUrl({flag: flags['base-url'], flagName: '--base-url'})
      const key = resolveApiKey({flag: flags['api-key'], flagName: '--api-key', baseUrl: base.url})
      if (!key) throw new NoApiKeyError(base.url)
      const settings = SettingsFiles.load().all()
      const quiet = flags.quiet || flags.json
      const status = (line: string) => quiet || this.logToStderr(`nexus: ${line}`)
      let view: TransferProgressView | undefined
      let result
      try {
        result = await getArtifact({
          path: args.path,
          root: flags.root,
          type: flags.type,
          skipCache: flags['skip-cache'],
          baseUrl: base.url,
          apiKey: key.apiKey,
          defaults: {entity: settings.get('entity'), project: settings.get('project')},
          log: status,
          onProgress: (p) => {
            view ??= new TransferProgressView({label: 'downloading', quiet, print: (line) => this.logToStderr(line)})
            view.update(p)
          },
        })
      } finally {
        view?.stop()
      }
      if (result.skippedReferences.length > 0) {
        status(
          `WARNING ${result.skippedReferences.length} reference file(s) (e.g. ${result.skippedReferences[0]}) point outside W&B storage and were not downloaded; use the Python SDK for reference artifacts.`,
        )
      }
      if (flags.json) {
        const {root, entity, project, name, version, type, artifactId, downloaded, reused, skippedReferences} = result
        this.log(JSON.stringify({schema: 1, root, entity, project, name, version, type, artifactId, downloaded, reused, skippedReferences}))
      } else {
        this.log(result.root)
      }
    } catch (err) {
      throw artifactCommandError(err, 'get')
    }
  }
}
