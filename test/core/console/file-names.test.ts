import {describe, expect, test} from 'bun:test'
import {chunkPath, consoleFileName, sanitizeFileName} from '../../../src/core/console/index.ts'

describe('sanitizeFileName', () => {
  // Go core's own table (fileutil/files_test.go) for Linux.
  const posix: [string, string][] = [
    ['valid-filename', 'valid-filename'],
    ['file/with/slash', 'file_with_slash'],
    ['file\x00with\x00null', 'file_with_null'],
    ['file with leading space ', 'file with leading space'],
    [' file with trailing space ', 'file with trailing space'],
    ['file....', 'file'],
    ['control\x07chars', 'controlchars'],
    ['', ''],
    [' . ..hidden file.', '. ..hidden file'],
    ['filename....with....dots....', 'filename....with....dots'],
    ['dot before space. ', 'dot before space.'],
  ]
  for (const [input, want] of posix) {
    test(`on POSIX ${JSON.stringify(input)} becomes ${JSON.stringify(want)}`, () => {
      expect(sanitizeFileName(input, 'linux')).toBe(want)
    })
  }

  // And for Windows.
  const windows: [string, string][] = [
    ['valid-filename.txt', 'valid-filename.txt'],
    ['invalid<file>name', 'invalid_file_name'],
    ['trailing space ', 'trailing space'],
    ['trailing.dot.', 'trailing.dot'],
    ['<:>?|*"\\filename', '________filename'],
    ['CON', 'CON_safe'],
    ['nul', 'nul_safe'],
    ['COM1', 'COM1_safe'],
    ['filename with trailing dots....', 'filename with trailing dots'],
    [' ', ''],
    ['.', ''],
    ['AUX.log', 'AUX.log'],
    ['', ''],
  ]
  for (const [input, want] of windows) {
    test(`on Windows ${JSON.stringify(input)} becomes ${JSON.stringify(want)}`, () => {
      expect(sanitizeFileName(input, 'win32')).toBe(want)
    })
  }
})

describe('console file names', () => {
  test('without a label the file is output.log', () => {
    expect(consoleFileName('')).toBe('output.log')
  })

  test('a label is sanitised into the file name', () => {
    expect(consoleFileName('node/1')).toBe('output_node_1.log')
  })

  test('a chunk is named after its local start time with nine nanosecond digits', () => {
    const start = new Date(2024, 2, 4, 5, 6, 7, 89).getTime()
    expect(chunkPath('output_rank0.log', start)).toBe('logs/output_rank0_20240304_050607_089000000.log')
  })
})
