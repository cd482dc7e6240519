import {describe, expect, test} from 'bun:test'
import {rewriteQuery} from '../../../src/core/wbapi/gql-compat.ts'
import {GqlCompatError} from '../../../src/core/wbapi/index.ts'

/** The document with whitespace runs collapsed, for substring checks. */
const flat = (s: string) => s.replace(/\s+/g, ' ')

describe('rewriteQuery', () => {
  test('without rewrites the document comes back untouched, even when it would not parse', () => {
    expect(rewriteQuery('query Q { a b c }', {})).toBe('query Q { a b c }')
    expect(rewriteQuery('not graphql {', {omitFields: [], renameFields: {}})).toBe('not graphql {')
  })

  test('strips variables, fields and fragments together (updateArtifact on an old server)', () => {
    const got = flat(
      rewriteQuery(
        `mutation updateArtifact($artifactID: ID!, $description: String, $ttlDurationSeconds: Int64,
        $tagsToAdd: [TagInput!], $tagsToDelete: [TagInput!], $aliases: [ArtifactAliasInput!]) {
        updateArtifact(input: {artifactID: $artifactID, description: $description, ttlDurationSeconds: $ttlDurationSeconds,
          tagsToAdd: $tagsToAdd, tagsToDelete: $tagsToDelete, aliases: $aliases}) {
          artifact { ...ArtifactIdAndName ...ArtifactInfo ttlDurationSeconds ttlIsInherited tags { name } }
        }
      }
      fragment ArtifactIdAndName on Artifact { id name }
      fragment ArtifactInfo on Artifact { description versionIndex }`,
        {
          omitVariables: ['ttlDurationSeconds', 'tagsToAdd', 'tagsToDelete'],
          omitFragments: ['ArtifactInfo'],
          omitFields: ['ttlDurationSeconds', 'ttlIsInherited', 'tags'],
        },
      ),
    )
    for (const gone of ['ttlDurationSeconds', 'tagsToAdd', 'tagsToDelete', 'ttlIsInherited', 'ArtifactInfo', 'tags']) expect(got).not.toContain(gone)
    for (const kept of ['$artifactID: ID!', '$aliases:', 'aliases: $aliases', '...ArtifactIdAndName', 'fragment ArtifactIdAndName']) expect(got).toContain(kept)
  })

  const ORPHANS = `fragment KeptA on TA { innerA }
    query MyQuery { ...KeptA ...KeptB keptField removedParent { ...Removed } }
    fragment Removed on TR { removedInner ...Orphaned }
    fragment Orphaned on TR { otherInner }
    fragment KeptB on TB { ...KeptNested }
    fragment KeptNested on TB { innerB }`

  test.each([
    ['by fragment name', {omitFragments: ['Removed']}],
    ['by the field that held the spread', {omitFields: ['removedParent']}],
  ])('prunes fragments nothing reaches any more (%s)', (_name, opts) => {
    const got = rewriteQuery(ORPHANS, opts)
    for (const gone of ['Removed', 'Orphaned', 'removedParent']) expect(got).not.toContain(gone)
    for (const kept of ['fragment KeptA', 'fragment KeptB', 'fragment KeptNested', 'keptField']) expect(got).toContain(kept)
  })

  test('renames keep the alias and the arguments', () => {
    const got = flat(
      rewriteQuery('query Q($c: String) { project { artifactCollections: artifactCollections(after: $c) { totalCount } } }', {
        renameFields: {artifactCollections: 'artifactSequences'},
      }),
    )
    expect(got).toContain('artifactCollections: artifactSequences(after: $c)')
  })

  test('omitting a field leaves its siblings', () => {
    const got = rewriteQuery('query Q { project { coll { pageInfo { endCursor } edges { node { id } } totalCount } } }', {omitFields: ['totalCount']})
    expect(got).not.toContain('totalCount')
    expect(got).toContain('pageInfo')
    expect(got).toContain('edges')
  })

  test('a field whose whole selection was omitted goes too', () => {
    const got = rewriteQuery('query Q { project { id settings { ttl } } }', {omitFields: ['ttl']})
    expect(got).not.toContain('settings')
    expect(got).toContain('id')
  })

  test('rewrites inside inline fragments and keeps fragments they spread', () => {
    const got = rewriteQuery('query Q { node { ... on Artifact { kept removed ...KeptFrag } } } fragment KeptFrag on Artifact { nested }', {
      omitFields: ['removed'],
    })
    for (const kept of ['... on Artifact', 'kept', '...KeptFrag', 'fragment KeptFrag', 'nested']) expect(got).toContain(kept)
    expect(got).not.toContain('removed')
  })

  test('an inline fragment left empty is dropped', () => {
    const got = rewriteQuery('query Q { node { id ... on Artifact { gone } } }', {omitFields: ['gone']})
    expect(got).not.toContain('Artifact')
  })

  test('list items that are omitted variables stay: only arguments and input-object fields go', () => {
    const got = flat(rewriteQuery('query Q($a: Int, $b: Int) { f(list: [$a, $b], obj: {x: $a, y: {z: $a, w: $b}}, direct: $a) }', {omitVariables: ['a']}))
    expect(got).toContain('list: [$a, $b]')
    expect(got).toContain('obj: {y: {w: $b}}')
    expect(got).not.toContain('direct')
    expect(got).not.toContain('$a: Int')
  })

  test('a document that does not parse raises GqlCompatError', () => {
    expect(() => rewriteQuery('not a graphql {', {omitFields: ['x']})).toThrow(GqlCompatError)
  })
})
