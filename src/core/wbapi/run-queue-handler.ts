import type {ApiResponse, CreateDefaultResourceConfigRequest, CreateRunQueueRequest, RunQueueOperationRequest, RunQueueOperationResponse, UpsertRunQueueRequest} from '../proto.ts'
import {CREATE_DEFAULT_RESOURCE_CONFIG, CREATE_RUN_QUEUE, UPSERT_RUN_QUEUE} from './graphql-documents.ts'
import {answer, apiError, failureResponse} from './responses.ts'
import type {SessionTools} from './session-tools.ts'

/** run_queue_operation_request: the Launch queue mutations. Unset optional inputs are sent as null. */
export async function handleRunQueueOperation(t: SessionTools, req: RunQueueOperationRequest, signal: AbortSignal): Promise<ApiResponse> {
  switch (req.operation.oneofKind) {
    case 'create_default_resource_config_request':
      return createDefaultResourceConfig(t, req.operation.create_default_resource_config_request, signal)
    case 'create_run_queue_request':
      return createRunQueue(t, req.operation.create_run_queue_request, signal)
    case 'upsert_run_queue_request':
      return upsertRunQueue(t, req.operation.upsert_run_queue_request, signal)
    default:
      return apiError('unsupported operation')
  }
}

const respond = (operation: RunQueueOperationResponse['operation']) => answer('run_queue_operation_response', {operation})

async function createDefaultResourceConfig(t: SessionTools, req: CreateDefaultResourceConfigRequest, signal: AbortSignal): Promise<ApiResponse> {
  const variables = {entityName: req.entity_name, resource: req.resource, config: req.config, templateVariables: req.template_variables ?? null}
  type Data = {createDefaultResourceConfig?: {defaultResourceConfigID?: string | null; success?: boolean | null} | null}
  const outcome = await t.gql.execute<Data>({query: CREATE_DEFAULT_RESOURCE_CONFIG, operationName: 'CreateDefaultResourceConfig', variables}, signal)
  if (!outcome.ok) return failureResponse(outcome.failure)
  const payload = outcome.data?.createDefaultResourceConfig
  if (!payload) return apiError('failed to create default resource config')
  return respond({
    oneofKind: 'create_default_resource_config_response',
    create_default_resource_config_response: {success: payload.success === true, default_resource_config_id: payload.defaultResourceConfigID ?? ''},
  })
}

async function createRunQueue(t: SessionTools, req: CreateRunQueueRequest, signal: AbortSignal): Promise<ApiResponse> {
  const variables = {
    entity: req.entity,
    project: req.project,
    queueName: req.queue_name,
    access: req.access,
    prioritizationMode: req.prioritization_mode ?? null,
    defaultResourceConfigID: req.default_resource_config_id ?? null,
  }
  type Data = {createRunQueue?: {success?: boolean | null; queueID?: string | null} | null}
  const outcome = await t.gql.execute<Data>({query: CREATE_RUN_QUEUE, operationName: 'CreateRunQueue', variables}, signal)
  if (!outcome.ok) return failureResponse(outcome.failure)
  const payload = outcome.data?.createRunQueue
  if (!payload) return apiError('failed to create run queue')
  return respond({
    oneofKind: 'create_run_queue_response',
    create_run_queue_response: {success: payload.success === true, queue_id: payload.queueID ?? ''},
  })
}

async function upsertRunQueue(t: SessionTools, req: UpsertRunQueueRequest, signal: AbortSignal): Promise<ApiResponse> {
  const variables = {
    entityName: req.entity_name,
    projectName: req.project_name,
    queueName: req.queue_name,
    resourceType: req.resource_type,
    resourceConfig: req.resource_config,
    templateVariables: req.template_variables ?? null,
    prioritizationMode: req.prioritization_mode ?? null,
    externalLinks: req.external_links ?? null,
    clientMutationId: req.client_mutation_id ?? null,
  }
  type Data = {upsertRunQueue?: {success?: boolean | null; configSchemaValidationErrors?: string[] | null} | null}
  const outcome = await t.gql.execute<Data>({query: UPSERT_RUN_QUEUE, operationName: 'UpsertRunQueue', variables}, signal)
  if (!outcome.ok) return failureResponse(outcome.failure)
  const payload = outcome.data?.upsertRunQueue
  if (!payload) return apiError('failed to upsert run queue')
  return respond({
    oneofKind: 'upsert_run_queue_response',
    upsert_run_queue_response: {success: payload.success === true, config_schema_validation_errors: payload.configSchemaValidationErrors ?? []},
  })
}
