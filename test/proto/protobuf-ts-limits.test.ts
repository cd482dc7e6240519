/**
 * Canaries for the two places where protobuf-ts 2.11.1 (our generated code) departs from the SDK's
 * protobuf on values the wandb schema allows. The SDK corpus (corpus.py) steers around both, so
 * these tests pin them down instead: each fails once protobuf-ts is fixed, which is the cue to drop
 * the canary and the corresponding steering in corpus.py.
 */
import {expect, test} from 'bun:test'
import {DoubleValue} from '../../proto/gen/google/protobuf/wrappers.ts'
import {RunMoment} from '../../proto/gen/wandb_settings.ts'
import {runPython} from '../helpers/python.ts'

test('protobuf-ts drops -0.0 from an implicit-presence double when encoding, where the SDK keeps it', async () => {
  const sdk = await runPython(['-c', 'import sys; from google.protobuf import wrappers_pb2 as w; sys.stdout.write(w.DoubleValue(value=-0.0).SerializeToString().hex())'])
  expect(sdk.code).toBe(0)
  const sdkBytes = Buffer.from(sdk.stdout, 'hex')
  expect(sdkBytes.length).toBe(9) // tag + 8 bytes: the SDK writes -0.0, it is not the default 0.0

  const decoded = DoubleValue.fromBinary(sdkBytes)
  expect(Object.is(decoded.value, -0)).toBe(true) // decoding is right
  expect(DoubleValue.toBinary(decoded).length).toBe(0) // but `value !== 0` is false for -0: not written
})

test('protobuf-ts range-checks google.protobuf.DoubleValue JSON as a float32, so doubles above 3.4e38 throw', () => {
  const big = DoubleValue.create({value: 1.5e300})
  expect(DoubleValue.fromBinary(DoubleValue.toBinary(big)).value).toBe(1.5e300) // binary is exact
  expect(RunMoment.toJson(RunMoment.create({value: 1.5e300}))).toEqual({value: 1.5e300}) // plain double fields are fine
  // The plugin's DoubleValue.internalJsonWrite passes FLOAT (2) instead of DOUBLE (1) to the writer.
  expect(() => DoubleValue.toJson(big)).toThrow('invalid float 32')
})
