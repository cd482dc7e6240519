/**
 * The schema-less GraphQL executor: operation choice, variable defaults, arguments, aliases,
 * fragments with type conditions, @include/@skip, __typename, unknown fields, resolver errors.
 */
import {expect, test} from 'bun:test'
import {parse} from 'graphql'
import {execute, GqlError, pickOperation, type ExecutorConfig, type GqlObject} from './graphql/executor.ts'

function setup() {
  const unknown: string[] = []
  const calls: Record<string, unknown>[] = []
  const seq = {__typename: 'ArtifactSequence', name: 'seq', project: {__typename: 'Project', name: 'p'}}
  const root: GqlObject = {
    __typename: 'Query',
    project: (args: Record<string, unknown>) => {
      calls.push(args)
      return {
        __typename: 'Project',
        name: args.name,
        collection: (a: {kind?: string}) => (a.kind === 'portfolio' ? {__typename: 'ArtifactPortfolio', name: 'port'} : seq),
        items: [
          {__typename: 'Item', n: 1},
          {__typename: 'Item', n: 2},
        ],
        json: {any: {nested: ['value']}},
        failing: () => {
          throw new GqlError('not here', 404)
        },
      }
    },
  }
  const config: ExecutorConfig<null> = {
    root,
    abstractTypes: {ArtifactCollection: ['ArtifactSequence', 'ArtifactPortfolio'], Node: ['Project', 'Item', 'ArtifactSequence', 'ArtifactPortfolio']},
    onUnknownField: (t, f) => unknown.push(`${t}.${f}`),
  }
  const run = (doc: string, vars: Record<string, unknown> = {}, opName?: string) => {
    const d = parse(doc)
    const op = pickOperation(d, opName)
    if (!op) throw new Error('no operation')
    return execute(d, op, vars, null, config)
  }
  return {run, unknown, calls}
}

test('applies variable defaults from the document and evaluates nested arguments', () => {
  const {run, calls} = setup()
  const r = run('query Q($n: String = "dflt", $e: String) { project(name: $n, entityName: $e, input: {a: [$n, "x"], b: 3}) { name } }')
  expect(r.data).toEqual({project: {name: 'dflt'}})
  expect(calls[0]).toEqual({name: 'dflt', entityName: null, input: {a: ['dflt', 'x'], b: 3}})
})

test('honours aliases, including two aliases of one field with different arguments', () => {
  const {run} = setup()
  const r = run('{ p: project(name: "a") { title: name s: collection { name } f: collection(kind: "portfolio") { name } } }')
  expect(r.data).toEqual({p: {title: 'a', s: {name: 'seq'}, f: {name: 'port'}}})
})

test('named and inline fragments apply by type condition, merging repeated fields', () => {
  const {run} = setup()
  const r = run(`
    query Q { project(name: "a") { collection { __typename ...Coll ... on ArtifactPortfolio { onlyPortfolio } ... on ArtifactSequence { project { name } } } } }
    fragment Coll on ArtifactCollection { name project { __typename } }
  `)
  expect(r.data).toEqual({project: {collection: {__typename: 'ArtifactSequence', name: 'seq', project: {__typename: 'Project', name: 'p'}}}})
})

test('@include and @skip follow their (variable) conditions', () => {
  const {run} = setup()
  const doc = 'query Q($yes: Boolean = true) { project(name: "a") { name @include(if: $yes) items @skip(if: true) { n } json @include(if: false) } }'
  expect(run(doc).data).toEqual({project: {name: 'a'}})
  expect(run(doc, {yes: false}).data).toEqual({project: {}})
})

test('lists are mapped, JSON values without a selection are returned as-is', () => {
  const {run} = setup()
  expect(run('{ project(name: "a") { items { n __typename } json } }').data).toEqual({
    project: {
      items: [
        {n: 1, __typename: 'Item'},
        {n: 2, __typename: 'Item'},
      ],
      json: {any: {nested: ['value']}},
    },
  })
})

test('unknown fields resolve to null and are reported, not errors', () => {
  const {run, unknown} = setup()
  const r = run('{ project(name: "a") { name nope { deeper } } }')
  expect(r.data).toEqual({project: {name: 'a', nope: null}})
  expect(r.errors).toBeUndefined()
  expect(unknown).toEqual(['Project.nope'])
})

test('a resolver GqlError nulls its field, adds an error with the path and can ask for an HTTP status', () => {
  const {run} = setup()
  const r = run('{ project(name: "a") { name failing } }')
  expect(r.data).toEqual({project: {name: 'a', failing: null}})
  expect(r.errors).toEqual([{message: 'not here', path: ['project', 'failing']}])
  expect(r.httpStatus).toBe(404)
})

test('picks the operation by name, or the only one when the name is empty', () => {
  const doc = parse('query A { x } query B { y }')
  expect(pickOperation(doc, 'B')?.name?.value).toBe('B')
  expect(pickOperation(doc, '')).toBeNull()
  expect(pickOperation(parse('mutation M { x }'), '')?.name?.value).toBe('M')
})
