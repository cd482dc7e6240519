/** Progress reporting of long operations (the SDK's "uploading…" display). */
export {Operation, Operations} from './operations.ts'
