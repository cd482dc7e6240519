/**
 * The Viewer query as Go core sends it (core/api/graphql): who the credentials belong to. Used by
 * the login check (credentials) and by wbapi's authenticate requests.
 */
export const VIEWER_QUERY = `query Viewer {
  viewer {
    id
    entity
    username
    email
    flags
    teams { edges { node { name } } }
  }
}`
