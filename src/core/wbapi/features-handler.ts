import type {ApiResponse, FeaturesRequest, OrgFeaturesRequest, ServerFeaturesRequest} from '../proto.ts'
import {ORG_FEATURE_FLAGS} from './graphql-documents.ts'
import {answer, apiError, failureResponse} from './responses.ts'
import type {SessionTools} from './session-tools.ts'

interface OrgFeatureFlagsData {
  organization?: {featureFlags?: Array<{rampKey?: string; isEnabled?: boolean} | null> | null} | null
}

/** features_request: which server features are on, or an organization's feature flags. */
export async function handleFeatures(t: SessionTools, req: FeaturesRequest, signal: AbortSignal): Promise<ApiResponse> {
  switch (req.request.oneofKind) {
    case 'server':
      return serverFeatures(t, req.request.server, signal)
    case 'org':
      return orgFeatures(t, req.request.org, signal)
    default:
      return apiError('unsupported features request')
  }
}

/** The requested features that are enabled. Never an error: a failed query means "all off". */
async function serverFeatures(t: SessionTools, req: ServerFeaturesRequest, signal: AbortSignal): Promise<ApiResponse> {
  const enabled = []
  for (const feature of req.features) if (await t.features.enabled(feature, signal)) enabled.push(feature)
  return answer('features_response', {response: {oneofKind: 'server', server: {enabled}}})
}

/** The requested organization flags (and legacy ramps) that exist, with their values; not cached. */
async function orgFeatures(t: SessionTools, req: OrgFeaturesRequest, signal: AbortSignal): Promise<ApiResponse> {
  const features: Record<string, boolean> = {}
  if (req.features.length === 0) return answer('features_response', {response: {oneofKind: 'org', org: {features}}})
  if (req.org === '') return apiError('org is required to check organization feature flags')
  const outcome = await t.gql.execute<OrgFeatureFlagsData>({query: ORG_FEATURE_FLAGS, operationName: 'OrgFeatureFlags', variables: {org: req.org}}, signal)
  if (!outcome.ok) return failureResponse(outcome.failure)
  const requested = new Set(req.features)
  for (const flag of outcome.data?.organization?.featureFlags ?? []) {
    if (flag?.rampKey !== undefined && requested.has(flag.rampKey)) features[flag.rampKey] = flag.isEnabled === true
  }
  return answer('features_response', {response: {oneofKind: 'org', org: {features}}})
}
