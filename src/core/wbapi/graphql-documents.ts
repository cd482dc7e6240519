/**
 * The GraphQL documents nexus sends on its own for wbapi requests. Selections and variables match
 * what Go core sends (core/api/graphql/*.graphql), since servers and fakes are built against them.
 */

/** The server's feature flags; servers older than the `features` field answer with an error. */
export const SERVER_FEATURES = `query ServerFeaturesQuery {
  serverInfo { features { name isEnabled } }
}`

/** An organization's feature flags, legacy ramps (keyed by organization name) included. */
export const ORG_FEATURE_FLAGS = `query OrgFeatureFlags($org: String!) {
  organization(name: $org) {
    featureFlags(rampIDType: OrgName) { rampKey isEnabled }
  }
}`

/** The UI's "Stop run": the run notices on its next heartbeat. */
export const STOP_RUN = `mutation StopRun($id: ID!) {
  stopRun(input: {id: $id}) { success }
}`

/** Commits files uploaded straight to their signed URLs, without touching the run's state. */
export const MARK_RUN_FILES_UPLOADED = `mutation MarkRunFilesUploaded($entity: String!, $project: String!, $run: String!, $files: [String!]!) {
  markRunFilesUploaded(input: {entityName: $entity, projectName: $project, runName: $run, files: $files}) { success }
}`

export const CREATE_CUSTOM_CHART = `mutation CreateCustomChart(
  $entity: String!, $chartName: String!, $displayName: String!, $chartType: String!, $access: String!, $spec: JSONString!
) {
  createCustomChart(input: {
    entity: $entity, name: $chartName, displayName: $displayName, type: $chartType, access: $access, spec: $spec
  }) { chart { id } }
}`

export const CREATE_DEFAULT_RESOURCE_CONFIG = `mutation CreateDefaultResourceConfig(
  $entityName: String!, $resource: String!, $config: JSONString!, $templateVariables: JSONString
) {
  createDefaultResourceConfig(input: {
    entityName: $entityName, resource: $resource, config: $config, templateVariables: $templateVariables
  }) { defaultResourceConfigID success }
}`

export const CREATE_RUN_QUEUE = `mutation CreateRunQueue(
  $entity: String!, $project: String!, $queueName: String!, $access: RunQueueAccessType!,
  $prioritizationMode: RunQueuePrioritizationMode, $defaultResourceConfigID: ID
) {
  createRunQueue(input: {
    entityName: $entity, projectName: $project, queueName: $queueName, access: $access,
    prioritizationMode: $prioritizationMode, defaultResourceConfigID: $defaultResourceConfigID
  }) { success queueID }
}`

export const UPSERT_RUN_QUEUE = `mutation UpsertRunQueue(
  $entityName: String!, $projectName: String!, $queueName: String!, $resourceType: String!, $resourceConfig: JSONString!,
  $templateVariables: JSONString, $prioritizationMode: RunQueuePrioritizationMode, $externalLinks: JSONString,
  $clientMutationId: String
) {
  upsertRunQueue(input: {
    entityName: $entityName, projectName: $projectName, queueName: $queueName, resourceType: $resourceType,
    resourceConfig: $resourceConfig, templateVariables: $templateVariables, prioritizationMode: $prioritizationMode,
    externalLinks: $externalLinks, clientMutationId: $clientMutationId
  }) { success configSchemaValidationErrors }
}`

const LOG_LINE = 'node { number timestamp level label line }'

/**
 * The last N console lines. No useImprovedPagination: a plain `last` tail reads the same on old
 * and new servers.
 */
export const RUN_CONSOLE_LOG_TAIL = `query RunConsoleLogTail($entity: String!, $project: String!, $runName: String!, $last: Int!) {
  project(name: $project, entityName: $entity) {
    run(name: $runName) {
      logLineCount
      logLines(last: $last) { edges { ${LOG_LINE} } }
    }
  }
}`

/**
 * One forward page of console lines. Needs useImprovedPagination (server 0.77+): the legacy
 * resolver ignores `first` and reads `after` as an offset from the end.
 */
export const RUN_CONSOLE_LOG_PAGE = `query RunConsoleLogPage($entity: String!, $project: String!, $runName: String!, $first: Int, $after: String) {
  project(name: $project, entityName: $entity) {
    run(name: $runName) {
      logLineCount
      logLines(first: $first, after: $after, useImprovedPagination: true) {
        edges { ${LOG_LINE} }
        pageInfo { endCursor hasNextPage }
      }
    }
  }
}`

/** Signed URLs of a run's exported parquet history, and the rows not exported yet. */
export const RUN_PARQUET_HISTORY = `query RunParquetHistory($entity: String!, $project: String!, $runName: String!, $liveKeys: [String!]!) {
  project(name: $project, entityName: $entity) {
    run(name: $runName) {
      parquetHistory(liveKeys: $liveKeys) { parquetUrls liveData }
    }
  }
}`

/** Every row of a run's history in [minStep, maxStep), each a JSON object text. */
export const HISTORY_PAGE = `query HistoryPage($entity: String!, $project: String!, $run: String!, $minStep: Int64!, $maxStep: Int64!, $pageSize: Int!) {
  project(name: $project, entityName: $entity) {
    run(name: $run) { history(minStep: $minStep, maxStep: $maxStep, samples: $pageSize) }
  }
}`

/** The rows of a run's history that hold all of `spec.keys`, in spec.minStep..spec.maxStep (inclusive). */
export const SAMPLED_HISTORY_PAGE = `query SampledHistoryPage($entity: String!, $project: String!, $run: String!, $spec: JSONString!) {
  project(name: $project, entityName: $entity) {
    run(name: $run) { sampledHistory(specs: [$spec]) }
  }
}`
