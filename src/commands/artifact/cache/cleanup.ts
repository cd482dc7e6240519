import {Args, Flags} from '@oclif/core'
import {cacheCleanupCommandError, cleanupArtifactCache, fromHumanSize, toHumanSize, userCacheDir} from '../../../core/artifacts/index.ts'
import {NexusCommand} from '../../base-command.ts'
import {wandbLines} from '../../ui/wandb-lines.ts'

export default class ArtifactCacheCleanup extends NexusCommand {
  static override summary = 'Reduce the local artifact cache to TARGET_SIZE, least recently accessed files first.'
  static override description =
    `Does what \`wandb artifact cache cleanup\` does, without Python, deleting the same files: the cache is <cache dir>/artifacts (WANDB_CACHE_DIR, else ~/.cache/wandb); its temporary files (tmp/) count toward its size and go only with --remove-temp; content files (obj/) go by last access time until the cache is at or below TARGET_SIZE. As in wandb, temporary files removed by --remove-temp still count toward the size compared with TARGET_SIZE. Prints "Reclaimed <size> of space" on stderr, as wandb.

TARGET_SIZE is a number with an optional unit B, KB, MB, GB, TB, PB or EB (powers of 1000; case does not matter): 10GB, 1.5 GB, 500MB, 0. Unlike wandb, which reads only a leading match (so "10G" or "1.5GiB" meant 10 or 1 bytes and emptied the cache), anything else is refused before a file is touched. Symbolic links inside the cache are never followed or deleted, a file that cannot be deleted is not counted as reclaimed (the next one goes instead), and a missing cache is not created. Exit codes: 0 done (also when the target could not be reached: an error line says so, as wandb); 2 bad TARGET_SIZE; 8 the cache could not be read.`
  static override examples = ['<%= config.bin %> artifact cache cleanup 10GB', '<%= config.bin %> artifact cache cleanup --remove-temp 5GB', '<%= config.bin %> artifact cache cleanup 0 --json']
  static override args = {
    target_size: Args.string({description: 'size to shrink the cache to, e.g. 10GB or 500MB', required: true}),
  }
  static override flags = {
    'remove-temp': Flags.boolean({description: 'also remove temporary files from the cache', allowNo: true, default: false}),
    json: Flags.boolean({
      description:
        'one JSON object on stdout: {"schema": 1, "cacheDir", "targetSize", "reclaimedBytes", "sizeBefore", "sizeAfter", "tempBytes", "reachedTarget", "removed", "failed", "skipped"} (no wandb lines)',
    }),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ArtifactCacheCleanup)
    const term = wandbLines((line) => this.logToStderr(line))
    const quiet = {warn: () => {}, error: () => {}}
    try {
      const targetSize = fromHumanSize(args.target_size)
      const result = cleanupArtifactCache({cacheDir: userCacheDir(), targetSize, removeTemp: flags['remove-temp'], term: flags.json ? quiet : term})
      if (flags.json) {
        const {root, ...rest} = result
        this.log(JSON.stringify({schema: 1, cacheDir: root, targetSize, ...rest}))
        return
      }
      term.info(`Reclaimed ${toHumanSize(result.reclaimedBytes)} of space`)
    } catch (err) {
      throw cacheCleanupCommandError(err)
    }
  }
}
