/**
 * Rewrites an SDK GraphQL document for older W&B servers before it is forwarded (the omit_* and
 * rename_fields of a graphql_request), with the same semantics as Go core's gqlcompat:
 *
 * - omitted variables lose their definition, every argument whose value is that variable, and
 *   every input-object field (at any depth) whose value is it; list items are left alone;
 * - omitted fragments lose their definition and every spread of them;
 * - omitted fields go wherever they appear, aliased or not (matched on the field name);
 * - renamed fields keep their alias and arguments;
 * - a field or inline fragment whose selections all went away goes too;
 * - fragment definitions no operation reaches any more are pruned.
 *
 * With no rewrites the document is returned untouched (not re-printed).
 */
import {Kind, parse, print, visit, type ArgumentNode, type DefinitionNode, type DocumentNode, type SelectionNode, type SelectionSetNode, type ValueNode} from 'graphql'
import {GqlCompatError} from './errors.ts'

export interface GqlCompatOptions {
  omitVariables?: Iterable<string>
  omitFragments?: Iterable<string>
  omitFields?: Iterable<string>
  /** old field name → new field name */
  renameFields?: Record<string, string>
}

interface Rules {
  vars: Set<string>
  fragments: Set<string>
  fields: Set<string>
  renames: Map<string, string>
}

/** Applies `opts` to `query`. Throws GqlCompatError when a rewrite is asked for and the document does not parse. */
export function rewriteQuery(query: string, opts: GqlCompatOptions): string {
  const rules: Rules = {
    vars: new Set(opts.omitVariables ?? []),
    fragments: new Set(opts.omitFragments ?? []),
    fields: new Set(opts.omitFields ?? []),
    renames: new Map(Object.entries(opts.renameFields ?? {})),
  }
  if (rules.vars.size + rules.fragments.size + rules.fields.size + rules.renames.size === 0) return query
  let doc: DocumentNode
  try {
    doc = parse(query, {noLocation: true})
  } catch (err) {
    throw new GqlCompatError(`gqlcompat: rewrite GraphQL for older W&B server compatibility: parse: ${(err as Error).message}`, {cause: err})
  }
  const definitions: DefinitionNode[] = []
  for (const def of doc.definitions) {
    if (def.kind === Kind.OPERATION_DEFINITION) {
      const variableDefinitions = def.variableDefinitions?.filter((v) => !rules.vars.has(v.variable.name.value))
      definitions.push({...def, variableDefinitions, selectionSet: rewriteSelectionSet(def.selectionSet, rules)})
    } else if (def.kind === Kind.FRAGMENT_DEFINITION) {
      if (rules.fragments.has(def.name.value)) continue
      definitions.push({...def, selectionSet: rewriteSelectionSet(def.selectionSet, rules)})
    } else {
      definitions.push(def)
    }
  }
  return print(pruneOrphanFragments({...doc, definitions}))
}

function rewriteSelectionSet(set: SelectionSetNode, rules: Rules): SelectionSetNode {
  const selections: SelectionNode[] = []
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (rules.fields.has(sel.name.value)) continue
      const renamed = rules.renames.get(sel.name.value)
      const field = {
        ...sel,
        name: renamed === undefined ? sel.name : {...sel.name, value: renamed},
        arguments: rules.vars.size > 0 ? filterArguments(sel.arguments ?? [], rules.vars) : sel.arguments,
      }
      if (!sel.selectionSet || sel.selectionSet.selections.length === 0) {
        selections.push(field)
        continue
      }
      const inner = rewriteSelectionSet(sel.selectionSet, rules)
      if (inner.selections.length > 0) selections.push({...field, selectionSet: inner})
    } else if (sel.kind === Kind.FRAGMENT_SPREAD) {
      if (!rules.fragments.has(sel.name.value)) selections.push(sel)
    } else {
      const inner = rewriteSelectionSet(sel.selectionSet, rules)
      if (inner.selections.length > 0) selections.push({...sel, selectionSet: inner})
    }
  }
  return {...set, selections}
}

const isOmittedVariable = (v: ValueNode, vars: Set<string>): boolean => v.kind === Kind.VARIABLE && vars.has(v.name.value)

function filterArguments(args: readonly ArgumentNode[], vars: Set<string>): ArgumentNode[] {
  return args.filter((a) => !isOmittedVariable(a.value, vars)).map((a) => ({...a, value: stripObjectFields(a.value, vars)}))
}

/** Drops input-object fields whose value is an omitted variable, recursively through objects (not lists). */
function stripObjectFields(value: ValueNode, vars: Set<string>): ValueNode {
  if (value.kind !== Kind.OBJECT) return value
  const fields = value.fields.filter((f) => !isOmittedVariable(f.value, vars)).map((f) => ({...f, value: stripObjectFields(f.value, vars)}))
  return {...value, fields}
}

/** Removes fragment definitions not reachable, directly or through other fragments, from an operation. */
function pruneOrphanFragments(doc: DocumentNode): DocumentNode {
  const spreadsOf = new Map<string, string[]>()
  const roots: string[] = []
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION && def.kind !== Kind.FRAGMENT_DEFINITION) continue
    const spreads: string[] = []
    visit(def.selectionSet, {FragmentSpread: (node) => void spreads.push(node.name.value)})
    if (def.kind === Kind.FRAGMENT_DEFINITION) spreadsOf.set(def.name.value, spreads)
    else roots.push(...spreads)
  }
  if (spreadsOf.size === 0) return doc
  const used = new Set<string>()
  const pending = [...roots]
  while (pending.length > 0) {
    const name = pending.pop()!
    if (used.has(name)) continue
    used.add(name)
    pending.push(...(spreadsOf.get(name) ?? []))
  }
  return {...doc, definitions: doc.definitions.filter((d) => d.kind !== Kind.FRAGMENT_DEFINITION || used.has(d.name.value))}
}
