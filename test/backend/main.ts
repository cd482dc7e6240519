/**
 * Command-line entry: `bun test/backend/main.ts [--port N] [--db FILE] [--api-key KEY]... [--quiet]`.
 * Prints exactly `ready http://127.0.0.1:PORT` as the first stdout line once it accepts requests,
 * then serves until SIGINT/SIGTERM.
 */
import {parseArgs} from 'node:util'
import {startBackend} from './index.ts'

const USAGE = 'usage: bun test/backend/main.ts [--port N] [--db FILE] [--api-key KEY]... [--quiet]'

async function main(): Promise<void> {
  let values
  try {
    ;({values} = parseArgs({
      options: {
        port: {type: 'string', default: '0'},
        db: {type: 'string'},
        'api-key': {type: 'string', multiple: true},
        quiet: {type: 'boolean', default: false},
        help: {type: 'boolean', default: false},
      },
      strict: true,
    }))
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`)
    process.exit(2)
  }
  if (values.help) {
    console.log(USAGE)
    return
  }
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`invalid --port ${values.port}\n${USAGE}`)
    process.exit(2)
  }
  const backend = await startBackend({port, dbPath: values.db, apiKeys: values['api-key'], quiet: values.quiet})
  console.log(`ready ${backend.url}`)
  const shutdown = async () => {
    await backend.stop()
    process.exit(0)
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

await main()
