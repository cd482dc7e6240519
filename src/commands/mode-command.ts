import {Flags} from '@oclif/core'
import {setWorkspaceMode, type ModeCommand} from '../core/credentials/index.ts'
import {NexusCommand} from './base-command.ts'

/** The flags of the four mode commands. */
export const MODE_FLAGS = {
  json: Flags.boolean({description: 'one JSON object: {"schema": 1, "command", "path", "before", "after", "changed"}'}),
}

/** offline / online / disabled / enabled: set the workspace mode and report it (lines, or one JSON object). */
export async function runModeCommand(cmd: NexusCommand, command: ModeCommand, json: boolean): Promise<void> {
  const result = setWorkspaceMode(command)
  if (json) {
    cmd.log(JSON.stringify({schema: 1, command, path: result.path, before: result.before ?? null, after: result.after ?? null, changed: result.change !== undefined}))
    return
  }
  for (const line of result.lines) cmd.log(line)
}
