import {Result, Response, ServerResponse} from '../../proto.ts'

/** `ServerResponse{error_response{message}}`: the SDK raises ServerResponseError(message). */
export function errorResponse(message: string): ServerResponse {
  return ServerResponse.create({server_response_type: {oneofKind: 'error_response', error_response: {message}}})
}

/** `ServerResponse{result_communicate: Result{response}}`: the usual answer to a run request. */
export function resultResponse(response: Response = Response.create()): ServerResponse {
  return ServerResponse.create({
    server_response_type: {oneofKind: 'result_communicate', result_communicate: Result.create({result_type: {oneofKind: 'response', response}})},
  })
}

/** `ServerResponse{result_communicate: Result{...result}}` for run_result / exit_result. */
export function resultOf(result: Result['result_type']): ServerResponse {
  return ServerResponse.create({
    server_response_type: {oneofKind: 'result_communicate', result_communicate: Result.create({result_type: result})},
  })
}
