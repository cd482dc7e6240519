/** JobInputs: what manage_config_file / manage_wandb_config requests turn into in the job's metadata. */
import {afterEach, beforeEach, describe, expect, test} from 'bun:test'
import {JobInputError, JobInputs} from '../../../src/core/jobs/index.ts'
import {JobInputRequest} from '../../../src/core/proto.ts'
import {RecordingLogger} from '../../fakes/recording-logger.ts'
import {filesDir, type FilesDir} from './helpers.ts'

let dir: FilesDir
let logger: RecordingLogger
beforeEach(() => {
  dir = filesDir()
  logger = new RecordingLogger()
})
afterEach(() => dir.dispose())

const paths = (ps: string[][]) => ps.map((path) => ({path}))
const fileInput = (path: string, include: string[][] = [], exclude: string[][] = [], schema = '') =>
  JobInputRequest.create({input_source: {source: {oneofKind: 'file', file: {path}}}, include_paths: paths(include), exclude_paths: paths(exclude), input_schema: schema})
const configInput = (include: string[][] = [], exclude: string[][] = [], schema = '') =>
  JobInputRequest.create({input_source: {source: {oneofKind: 'run_config', run_config: {}}}, include_paths: paths(include), exclude_paths: paths(exclude), input_schema: schema})

const CONFIG = {lr: 0.1, model: {act: 'relu', secret: 'x', layers: 3}, _wandb: {cli_version: '0.31.0'}}

describe('JobInputs', () => {
  test('nothing declared: not declared, and the metadata has empty input_types and an unknown output type', () => {
    const inputs = new JobInputs(logger)
    expect(inputs.declared).toBe(false)
    expect(inputs.metadata(dir.path, CONFIG)).toBe('{"input_types":{},"output_types":{"wb_type":"unknown"}}')
  })

  test('the run config: include/exclude accumulate over requests, the last schema wins, keys sorted as Go writes them', () => {
    const inputs = new JobInputs(logger)
    inputs.add(configInput([['model']], [], '{"type":"object","z":1}'))
    inputs.add(configInput([['lr']], [['model', 'secret']], '{"type":"object","properties":{"lr":{"type":"number"}}}'))
    expect(inputs.declared).toBe(true)
    expect(inputs.metadata(dir.path, CONFIG)).toBe(
      '{"input_schemas":{"@wandb.config":{"properties":{"lr":{"type":"number"}},"type":"object"}},' +
        '"input_types":{"@wandb.config":{"wb_type":"typedDict","params":{"type_map":{"lr":{"wb_type":"number"},"model":{"wb_type":"typedDict","params":{"type_map":{"act":{"wb_type":"string"},"layers":{"wb_type":"number"}}}}}}}},' +
        '"output_types":{"wb_type":"unknown"}}',
    )
  })

  test('config files are read from files/_wandb_configs and filtered; a schema only where one was given', () => {
    dir.write('_wandb_configs/conf/a.yaml', 'model:\n  name: r\n  layers: 2\ntrain:\n  epochs: 1\n')
    dir.write('_wandb_configs/b.json', '{"k": [true]}')
    const inputs = new JobInputs(logger)
    inputs.add(fileInput('conf/a.yaml', [['model']], [['model', 'name']], '{"type":"object"}'))
    inputs.add(fileInput('b.json'))
    const meta = JSON.parse(inputs.metadata(dir.path, {}))
    expect(meta.input_types.files).toEqual({
      'b.json': {wb_type: 'typedDict', params: {type_map: {k: {wb_type: 'list', params: {element_type: {wb_type: 'boolean'}, length: 1}}}}},
      'conf/a.yaml': {wb_type: 'typedDict', params: {type_map: {model: {wb_type: 'typedDict', params: {type_map: {layers: {wb_type: 'number'}}}}}}},
    })
    expect(meta.input_schemas).toEqual({files: {'conf/a.yaml': {type: 'object'}}})
  })

  test('a config file that cannot be read gives the empty type and an error log line, not a failure', () => {
    const inputs = new JobInputs(logger)
    inputs.add(fileInput('missing.yaml'))
    expect(inputs.metadata(dir.path, {})).toBe('{"input_types":{"files":{"missing.yaml":{"wb_type":""}}},"output_types":{"wb_type":"unknown"}}')
    expect(logger.lines.some((l) => l.level === 'error' && l.msg.includes('managed config file'))).toBe(true)
  })

  test('a schema that is not a JSON object is a JobInputError', () => {
    const inputs = new JobInputs(logger)
    inputs.add(configInput([], [], '[1, 2]'))
    expect(() => inputs.metadata(dir.path, {})).toThrow(JobInputError)
    const bad = new JobInputs(logger)
    bad.add(fileInput('a.yaml', [], [], '{oops'))
    expect(() => bad.metadata(dir.path, {})).toThrow(/not valid JSON/)
  })

  test('a request without a source counts as declared but adds nothing (logged)', () => {
    const inputs = new JobInputs(logger)
    inputs.add(JobInputRequest.create())
    expect(inputs.declared).toBe(true)
    expect(inputs.metadata(dir.path, CONFIG)).toBe('{"input_types":{},"output_types":{"wb_type":"unknown"}}')
    expect(logger.lines.some((l) => l.msg.includes('without a source'))).toBe(true)
  })
})
