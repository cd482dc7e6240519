/** Every exit code the nexus CLI can return; defined in core so engines can attach them to errors. */
export {ExitCode} from '../core/exit-codes.ts'
export type {ExitCodeValue} from '../core/exit-codes.ts'
