/**
 * The `commands` JSON of a heartbeat's answer as AgentCommands, values kept as Python holds them
 * (ints and floats apart). A command wandb's agent could not process (no type, an unknown type,
 * a run without args or values) is left out and logged as wandb logs it.
 */
import {errorMessage} from '../../errors.ts'
import {isDict, type PyValue} from '../py-value.ts'
import {loadPyJson} from './py-json.ts'
import {pyReprValue} from './py-str.ts'
import type {AgentArgs, AgentCommand, AgentOutput} from './types.ts'

/** The commands of `text` (a JSON list of command objects); text that is not JSON gives none, logged. */
export function parseCommands(text: string, out: Pick<AgentOutput, 'log'>): AgentCommand[] {
  let parsed: PyValue
  try {
    parsed = loadPyJson(text)
  } catch (err) {
    out.log('ERROR', `Error communicating with W&B.\nthe heartbeat's commands are not JSON: ${errorMessage(err)}`)
    return []
  }
  return (Array.isArray(parsed) ? parsed : [parsed]).flatMap((c) => parseCommand(c, out))
}

function parseCommand(c: PyValue, out: Pick<AgentOutput, 'log'>): AgentCommand[] {
  const type = isDict(c) ? c.get('type') : undefined
  const bad = (problem: string): AgentCommand[] => {
    out.log('INFO', `Agent received command: ${typeof type === 'string' ? type : 'Unknown'}`)
    out.log('ERROR', `Exception while processing command: ${pyReprValue(c)}\nAgentError: ${problem}`)
    return []
  }
  if (!isDict(c) || typeof type !== 'string') return bad('the command has no type')
  if (type === 'exit') return [{type}]
  if (type !== 'run' && type !== 'resume' && type !== 'stop') return bad(`No such command: ${type}`)
  const runId = c.get('run_id')
  if (typeof runId !== 'string') return bad('the command has no run_id')
  if (type === 'stop') return [{type, runId}]
  const program = c.get('program')
  const args = c.get('args')
  if (!isDict(args)) return bad(`No "args" found in command`)
  const parsedArgs: AgentArgs = {}
  for (const [k, v] of args) {
    if (!isDict(v) || !v.has('value')) return bad(`No "value" found for command["args"]["${k}"]`)
    Object.defineProperty(parsedArgs, k, {value: {value: v.get('value')}, enumerable: true, writable: true, configurable: true})
  }
  return [{type, runId, program: typeof program === 'string' ? program : null, args: parsedArgs}]
}
