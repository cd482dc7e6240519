/**
 * The public-API passthrough (Go core's wbapi): api_init / api_request / api_cleanup and the
 * legacy authenticate request, over the shared HTTP stack.
 */
export {WbApiSessions} from './wbapi-sessions.ts'
export type {WbApiSessionsOptions} from './wbapi-sessions.ts'
export type {GqlCompatOptions} from './gql-compat.ts'
export {GqlCompatError, IdentityTokenError, RequestCancelledError, TokenExchangeError} from './errors.ts'
