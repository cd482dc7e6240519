/**
 * The GraphQL documents of `wandb sweep` 0.31 (wandb/apis/public/sweeps.py), built the same way:
 * one UpsertSweep mutation text and its older variants, tried newest first, because the server
 * offers no schema version to ask (launchScheduler came with server 0.14, configValidationWarnings
 * and the sweep's project later). The state change uses wandb's short UpsertSweep; the state read
 * asks for the fields the precondition check uses (wandb's SweepWithRuns also pulls every run's
 * sampled history, which the check never reads).
 */

const PROJECT_QUERY = `
        project {
            id
            name
            entity {
                id
                name
            }
        }
    `

const MUTATION = `
    mutation UpsertSweep(
        $id: ID,
        $config: String,
        $description: String,
        $entityName: String,
        $projectName: String,
        $controller: JSONString,
        $scheduler: JSONString,
        $state: String,
        $priorRunsFilters: JSONString,
        $displayName: String,
    ) {
        upsertSweep(input: {
            id: $id,
            config: $config,
            description: $description,
            entityName: $entityName,
            projectName: $projectName,
            controller: $controller,
            scheduler: $scheduler,
            state: $state,
            priorRunsFilters: $priorRunsFilters,
            displayName: $displayName,
        }) {
            sweep {
                name
                _PROJECT_QUERY_
            }
            configValidationWarnings
        }
    }
    `

/** mutation_5: with launchScheduler and templateVariableValues (current servers). */
const MUTATION_5 = MUTATION.replace('$controller: JSONString,', '$controller: JSONString,$launchScheduler: JSONString, $templateVariableValues: JSONString,')
  .replace('controller: $controller,', 'controller: $controller,launchScheduler: $launchScheduler,templateVariableValues: $templateVariableValues,')
  .replace('_PROJECT_QUERY_', PROJECT_QUERY)

/** mutation_4: launchScheduler only (server 0.14+). */
const MUTATION_4 = MUTATION.replace('$controller: JSONString,', '$controller: JSONString,$launchScheduler: JSONString,')
  .replace('controller: $controller,', 'controller: $controller,launchScheduler: $launchScheduler')
  .replace('_PROJECT_QUERY_', PROJECT_QUERY)

/** mutation_3: servers that support CLI 0.10.31. */
const MUTATION_3 = MUTATION.replace('_PROJECT_QUERY_', PROJECT_QUERY)
/** mutation_2: without configValidationWarnings. */
const MUTATION_2 = MUTATION.replace('_PROJECT_QUERY_', PROJECT_QUERY).replace('configValidationWarnings', '')
/** mutation_1: neither the sweep's project nor warnings. */
const MUTATION_1 = MUTATION.replace('_PROJECT_QUERY_', '').replace('configValidationWarnings', '')

/** The UpsertSweep documents in the order wandb tries them (all five: the CLI never sets launchScheduler). */
export const UPSERT_SWEEP_DOCUMENTS: readonly string[] = [MUTATION_5, MUTATION_4, MUTATION_3, MUTATION_2, MUTATION_1]

/** The answer of UpsertSweep (the project and warnings only in the newer variants). */
export interface UpsertSweepData {
  upsertSweep?: {
    sweep?: {name?: string; project?: {name?: string | null; entity?: {name?: string | null} | null} | null} | null
    configValidationWarnings?: string[] | null
  } | null
}

/** `_set_sweep_state`'s mutation. */
export const SET_SWEEP_STATE = `
    mutation UpsertSweep(
        $id: ID,
        $state: String,
        $entityName: String,
        $projectName: String
    ) {
        upsertSweep(input: {
            id: $id,
            state: $state,
            entityName: $entityName,
            projectName: $projectName
        }){
            sweep {
                name
            }
        }
    }
    `

/** The sweep's id and state, looked up by entity, project and name. */
export const SWEEP_STATE = `
    query SweepState($entity: String, $project: String, $sweep: String!) {
        project(name: $project, entityName: $entity) {
            sweep(sweepName: $sweep) {
                id
                name
                state
            }
        }
    }
    `

/** The answer of SWEEP_STATE. */
export interface SweepStateData {
  project?: {sweep?: {id?: string; name?: string; state?: string | null} | null} | null
}

/** The viewer's default entity (the SDK's GetDefaultEntity), for a link when the server named no entity. */
export const GET_DEFAULT_ENTITY = `
query GetDefaultEntity {
  viewer {
    id
    entity
  }
}
`

/** The answer of GET_DEFAULT_ENTITY. */
export interface DefaultEntityData {
  viewer?: {entity?: string | null} | null
}

/** The sweep with its runs and their sampled history (`_sweep_with_runs`: the local controller's read). */
export const SWEEP_WITH_RUNS = `
    query SweepWithRuns($entity: String, $project: String, $sweep: String!, $specs: [JSONString!]!) {
        project(name: $project, entityName: $entity) {
            sweep(sweepName: $sweep) {
                id
                name
                method
                state
                description
                config
                createdAt
                heartbeatAt
                updatedAt
                earlyStopJobRunning
                bestLoss
                controller
                scheduler
                runs {
                    edges {
                        node {
                            name
                            state
                            config
                            exitcode
                            heartbeatAt
                            shouldStop
                            failed
                            stopped
                            running
                            summaryMetrics
                            sampledHistory(specs: $specs)
                        }
                    }
                }
            }
        }
    }
    `

/** One run of SWEEP_WITH_RUNS (JSON fields as strings, as the server sends them). */
export interface SweepRunNode {
  name?: string
  state?: string | null
  config?: string | null
  exitcode?: number | null
  shouldStop?: boolean | null
  failed?: boolean | null
  stopped?: boolean | null
  running?: boolean | null
  summaryMetrics?: string | null
  sampledHistory?: unknown[][] | null
}

/** The answer of SWEEP_WITH_RUNS. */
export interface SweepWithRunsData {
  project?: {
    sweep?: {
      id?: string
      name?: string
      state?: string | null
      config?: string | null
      controller?: string | null
      scheduler?: string | null
      runs?: {edges?: {node?: SweepRunNode | null}[] | null} | null
    } | null
  } | null
}
