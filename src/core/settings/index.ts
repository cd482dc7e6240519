/** The SDK's settings as core reads them. */
export {RunSettings} from './run-settings.ts'
