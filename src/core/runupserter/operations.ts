/** The GraphQL documents the run upserter sends (our own text; field sets as the server expects). */

export const UPSERT_BUCKET = `mutation UpsertBucket($id: String, $name: String, $project: String, $entity: String, $groupName: String, $description: String, $displayName: String, $notes: String, $commit: String, $config: JSONString, $host: String, $debug: Boolean, $program: String, $repo: String, $jobType: String, $state: String, $sweep: String, $tags: [String!], $summaryMetrics: JSONString) {
  upsertBucket(input: {id: $id, name: $name, groupName: $groupName, modelName: $project, entityName: $entity, description: $description, displayName: $displayName, notes: $notes, config: $config, commit: $commit, host: $host, debug: $debug, jobProgram: $program, jobRepo: $repo, jobType: $jobType, state: $state, sweep: $sweep, tags: $tags, summaryMetrics: $summaryMetrics}) {
    bucket {
      id
      name
      displayName
      description
      config
      sweepName
      project { id name entity { id name } }
      historyLineCount
    }
    inserted
  }
}`

export interface UpsertBucketData {
  upsertBucket: {
    bucket: {
      id: string
      name: string
      displayName: string | null
      sweepName: string | null
      historyLineCount: number | null
      project: {name: string; entity: {name: string} | null} | null
    } | null
    inserted: boolean | null
  } | null
}

export const RUN_RESUME_STATUS = `query RunResumeStatus($project: String, $entity: String, $name: String!) {
  model(name: $project, entityName: $entity) {
    id
    name
    entity { id name }
    bucket(name: $name, missingOk: true) {
      id
      name
      summaryMetrics
      displayName
      logLineCount
      historyLineCount
      eventsLineCount
      historyTail
      eventsTail
      config
      tags
      notes
      wandbConfig(keys: ["t"])
    }
  }
}`

export interface ResumeBucket {
  id: string
  name: string
  summaryMetrics: string | null
  displayName: string | null
  logLineCount: number | null
  historyLineCount: number | null
  eventsLineCount: number | null
  historyTail: string | null
  eventsTail: string | null
  config: string | null
  tags: string[] | null
  notes: string | null
  wandbConfig: string | null
}

export interface RunResumeStatusData {
  model: {bucket: ResumeBucket | null} | null
}

export const REWIND_RUN = `mutation RewindRun($runName: String!, $entity: String, $project: String, $metricName: String!, $metricValue: Float!) {
  rewindRun(input: {runName: $runName, entityName: $entity, projectName: $project, metricName: $metricName, metricValue: $metricValue}) {
    rewoundRun {
      id
      name
      displayName
      description
      config
      sweepName
      project { id name entity { id name } }
      historyLineCount
    }
  }
}`

export interface RewindRunData {
  rewindRun: {
    rewoundRun: {
      id: string
      name: string
      displayName: string | null
      config: string | null
      sweepName: string | null
      historyLineCount: number | null
      project: {name: string; entity: {name: string} | null} | null
    } | null
  } | null
}

export const SERVER_FEATURES = `query ServerFeaturesQuery {
  serverInfo {
    features {
      name
      isEnabled
    }
  }
}`

export interface ServerFeaturesData {
  serverInfo: {features: Array<{name: string; isEnabled: boolean}> | null} | null
}
