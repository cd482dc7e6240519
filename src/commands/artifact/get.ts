import {Args, Flags} from '@oclif/core'
import {artifactCommandError, getArtifact} from '../../core/artifacts/index.ts'
import {NoApiKeyError, SettingsFiles, resolveApiKey, resolveBaseUrl} from '../../core/credentials/index.ts'
import {NexusCommand} from '../base-command.ts'

export default class ArtifactGet extends NexusCommand {
  static override summary = 'Download an artifact version to a directory.'
  static override description = `Does what \`wandb artifact get\` does, without Python. Files already in place or in the local artifact cache are not downloaded again; every file is checked against its MD5 and appears only when complete. Credentials: --api-key, WANDB_API_KEY, then netrc.`
  static override examples = ['<%= config.bin %> artifact get my-entity/my-project/dataset:latest --root ./data']
  static override args = {
    path: Args.string({description: 'artifact: [entity/project/]name[:version or alias]', required: true}),
  }
  static override flags = {
    root: Flags.directory({description: 'directory to download into (default ./artifacts/<name>:<version>)'}),
    type: Flags.string({description: 'expected artifact type'}),
    'skip-cache': Flags.boolean({description: 'neither read nor fill the local artifact cache'}),
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
      const result = await getArtifact({
        path: args.path, root: flags.root, type: flags.type, skipCache: flags['skip-cache'],
        baseUrl: base.url, apiKey: key.apiKey, defaults: {entity: settings.get('entity'), project: settings.get('project')},
        log: (line) => this.logToStderr(`nexus: ${line}`),
      })
      if (result.skippedReferences.length > 0) {
        this.logToStderr(`nexus: WARNING ${result.skippedReferences.length} reference file(s) (e.g. ${result.skippedReferences[0]}) point outside W&B storage and were not downloaded; use the Python SDK for reference artifacts.`)
      }
      this.log(result.root)
    } catch (err) {
      throw artifactCommandError(err, 'get')
    }
  }
}
