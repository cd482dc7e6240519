/**
 * A small schema-less GraphQL executor. The clients send many textual variants of the same
 * operations (SDK documents passed through wandb-core with `operationName: ""`, gqlparser
 * reformatted ones, dynamically built ones), so nothing here matches query text: the document is
 * parsed with the `graphql` package and its selection sets are walked over plain objects.
 *
 * Objects are `GqlObject`s: each field is a value, or a function `(args, ctx) => value` called
 * with the evaluated arguments. Execution is synchronous, so a caller can wrap it in one SQLite
 * transaction. Values that are objects are walked with the field's
 * sub-selection; arrays are mapped; objects without a sub-selection (JSON scalars) are returned
 * as-is. Aliases, named/inline fragments (with type conditions checked against `__typename`),
 * `@include`/`@skip` and `__typename` are honoured. A field the object does not define resolves
 * to null and is reported through `onUnknownField` — never an error.
 */
import {Kind, valueFromASTUntyped, type DirectiveNode, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode} from 'graphql'

/** A field resolver: receives the field's evaluated arguments and the request context. Synchronous. */
export type Resolver<C> = (args: Record<string, any>, ctx: C) => unknown

/** An object the executor can walk; `__typename` drives fragment type conditions. */
export type GqlObject = {__typename?: string} & Record<string, unknown>

/**
 * An error a resolver throws to fail its field with a message (the field becomes null and the
 * response carries `errors`). `httpStatus` asks the HTTP layer to answer with that status
 * (e.g. 404 for a heartbeat of a deleted sweep); otherwise the response is 200.
 */
export class GqlError extends Error {
  constructor(
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message)
    this.name = 'GqlError'
  }
}

/** One entry of the response's `errors`. */
export interface GqlErrorEntry {
  message: string
  path?: (string | number)[]
}

/** What `execute` returns: the response body parts and an optional HTTP status request. */
export interface ExecuteResult {
  data: Record<string, unknown> | null
  errors?: GqlErrorEntry[]
  httpStatus?: number
}

/** How the executor is wired to a concrete API. */
export interface ExecutorConfig<_C> {
  /** The root object: query and mutation root fields share one table (their names do not clash). */
  root: GqlObject
  /** Abstract type → concrete `__typename`s, for fragments on interfaces/unions. */
  abstractTypes: Record<string, string[]>
  /** Called for each field an object does not define (the field resolves to null). */
  onUnknownField(typename: string, field: string): void
}

/**
 * Picks the operation to run: the one named `operationName` when it is non-empty, else the only
 * operation. Returns null when there is none or the choice is ambiguous.
 */
export function pickOperation(doc: DocumentNode, operationName?: string | null): OperationDefinitionNode | null {
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
  if (operationName) return ops.find((o) => o.name?.value === operationName) ?? null
  return ops.length === 1 ? ops[0] : null
}

/** Executes the chosen operation of `doc` against `config.root`. Never throws for resolver errors. */
export function execute<C>(doc: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | null | undefined, ctx: C, config: ExecutorConfig<C>): ExecuteResult {
  const run = new Execution(doc, operation, variables ?? {}, ctx, config)
  const data = run.object(config.root, [operation.selectionSet], [])
  const result: ExecuteResult = {data}
  if (run.errors.length > 0) result.errors = run.errors
  if (run.httpStatus !== undefined) result.httpStatus = run.httpStatus
  return result
}

class Execution<C> {
  readonly errors: GqlErrorEntry[] = []
  httpStatus: number | undefined
  private readonly fragments = new Map<string, FragmentDefinitionNode>()
  private readonly vars: Record<string, unknown>

  constructor(
    doc: DocumentNode,
    operation: OperationDefinitionNode,
    given: Record<string, unknown>,
    private readonly ctx: C,
    private readonly config: ExecutorConfig<C>,
  ) {
    for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(d.name.value, d)
    this.vars = {}
    for (const def of operation.variableDefinitions ?? []) {
      const name = def.variable.name.value
      if (Object.hasOwn(given, name)) this.vars[name] = given[name]
      else if (def.defaultValue) this.vars[name] = valueFromASTUntyped(def.defaultValue)
      else this.vars[name] = null
    }
  }

  object(obj: GqlObject, selections: SelectionSetNode[], path: (string | number)[]): Record<string, unknown> {
    const fields = new Map<string, FieldNode[]>()
    for (const s of selections) this.collect(obj.__typename, s, fields, new Set())
    const out: Record<string, unknown> = {}
    for (const [key, nodes] of fields) out[key] = this.field(obj, nodes, [...path, key])
    return out
  }

  private field(obj: GqlObject, nodes: FieldNode[], path: (string | number)[]): unknown {
    const name = nodes[0].name.value
    if (name === '__typename') return obj.__typename ?? null
    if (!(name in obj)) {
      this.config.onUnknownField(obj.__typename ?? '?', name)
      return null
    }
    let value: unknown = obj[name]
    try {
      if (typeof value === 'function') value = (value as Resolver<C>)(this.args(nodes[0]), this.ctx)
    } catch (e) {
      this.fail(e, path)
      return null
    }
    return this.complete(value, nodes, path)
  }

  private complete(value: unknown, nodes: FieldNode[], path: (string | number)[]): unknown {
    if (value === null || value === undefined) return null
    const subs = nodes.map((n) => n.selectionSet).filter((s): s is SelectionSetNode => s !== undefined)
    if (Array.isArray(value)) {
      const out: unknown[] = []
      for (let i = 0; i < value.length; i++) out.push(this.complete(value[i], nodes, [...path, i]))
      return out
    }
    if (typeof value === 'object' && subs.length > 0) return this.object(value as GqlObject, subs, path)
    return value
  }

  private args(node: FieldNode): Record<string, any> {
    const args: Record<string, any> = {}
    for (const a of node.arguments ?? []) args[a.name.value] = valueFromASTUntyped(a.value, this.vars)
    return args
  }

  private collect(typename: string | undefined, set: SelectionSetNode, out: Map<string, FieldNode[]>, seen: Set<string>): void {
    for (const sel of set.selections) {
      if (!this.included(sel.directives)) continue
      if (sel.kind === Kind.FIELD) {
        const key = sel.alias?.value ?? sel.name.value
        const list = out.get(key)
        if (list) list.push(sel)
        else out.set(key, [sel])
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        if (this.applies(sel.typeCondition?.name.value, typename)) this.collect(typename, sel.selectionSet, out, seen)
      } else {
        const name = sel.name.value
        const frag = this.fragments.get(name)
        if (!frag || seen.has(name)) continue
        if (!this.applies(frag.typeCondition.name.value, typename)) continue
        seen.add(name)
        this.collect(typename, frag.selectionSet, out, seen)
      }
    }
  }

  /** A fragment applies unless both sides are known concrete types that differ. */
  private applies(condition: string | undefined, typename: string | undefined): boolean {
    if (!condition || !typename || condition === typename) return true
    const members = this.config.abstractTypes[condition]
    if (members) return members.includes(typename)
    return !isConcrete(condition, this.config.abstractTypes)
  }

  private included(directives: readonly DirectiveNode[] | undefined): boolean {
    for (const d of directives ?? []) {
      const arg = d.arguments?.find((a) => a.name.value === 'if')
      const cond = arg ? Boolean(valueFromASTUntyped(arg.value, this.vars)) : true
      if (d.name.value === 'skip' && cond) return false
      if (d.name.value === 'include' && !cond) return false
    }
    return true
  }

  private fail(e: unknown, path: (string | number)[]): void {
    const message = e instanceof Error ? e.message : String(e)
    this.errors.push({message, path})
    if (e instanceof GqlError && e.httpStatus !== undefined && this.httpStatus === undefined) this.httpStatus = e.httpStatus
    if (!(e instanceof GqlError)) console.error(`[backend] resolver error at ${path.join('.')}:`, e)
  }
}

/** A type condition is "concrete" when it is listed as a member of some abstract type. */
function isConcrete(name: string, abstractTypes: Record<string, string[]>): boolean {
  for (const members of Object.values(abstractTypes)) if (members.includes(name)) return true
  return false
}
