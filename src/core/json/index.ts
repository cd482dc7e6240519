/** JSON with NaN/Infinity literals, as wandb values use it. */
export {ExtendedJsonError, parseExtendedJson, stringifyExtendedJson} from './extended-json.ts'
