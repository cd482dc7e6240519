import {ApiResponse, type ErrorType} from '../proto.ts'

/** Why a request failed, as the SDK shows it: `WandbApiFailedError(message)` and `.http_status`. */
export interface ApiFailure {
  message: string
  /** The server's HTTP status, or 0 when there was no HTTP answer (or it was a 200). */
  httpStatus: number
  errorType?: ErrorType
}

/** The api_error_response for a failure. */
export function apiError(message: string, httpStatus = 0, errorType?: ErrorType): ApiResponse {
  const error = {message, http_status: httpStatus, ...(errorType === undefined ? {} : {error_type: errorType})}
  return ApiResponse.create({response: {oneofKind: 'api_error_response', api_error_response: error}})
}

/** The api_error_response for an ApiFailure. */
export function failureResponse(failure: ApiFailure): ApiResponse {
  return apiError(failure.message, failure.httpStatus, failure.errorType)
}

type Variant = Exclude<ApiResponse['response'], {oneofKind: undefined}>
type Kind = Variant['oneofKind']
type ValueOf<K extends Kind> = Extract<Variant, {oneofKind: K}> extends infer V ? (K extends keyof V ? V[K] : never) : never

/** An ApiResponse holding `value` in its `kind` branch. */
export function answer<K extends Kind>(kind: K, value: ValueOf<K>): ApiResponse {
  return ApiResponse.create({response: {oneofKind: kind, [kind]: value} as unknown as Variant})
}
