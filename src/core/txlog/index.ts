/** The `.wandb` transaction log: format constants, a writer and a streaming, self-healing reader. */
export {BLOCK_SIZE, CHUNK_HEADER_SIZE, ChunkType, HEADER, HEADER_SIZE, chunkCrc, hasValidHeader} from './format.ts'
export {TransactionLogReader} from './reader.ts'
export type {Damage, LogRecord, TruncatedTail} from './reader.ts'
export {TransactionLogWriter} from './writer.ts'
export type {WriterOptions} from './writer.ts'
