/**
 * Project lookups and creation: `project`/`model` (synonyms; `null` for an unknown project),
 * `projects`/`models` (an entity's projects), `upsertModel`/`upsertProject`.
 */
import {type Ctx, entityOr, projectOr, str} from '../context.ts'
import {connection} from '../objects/connection.ts'
import {projectObject} from '../objects/project.ts'

const project = (args: {name?: string; entityName?: string}, ctx: Ctx) => {
  const p = ctx.store.projects.find(entityOr(ctx, args.entityName), projectOr(args.name))
  return p ? projectObject(ctx, p) : null
}

const projects = (args: {entityName?: string; first?: number; after?: string}, ctx: Ctx) =>
  connection('ProjectConnection', ctx.store.projects.list(entityOr(ctx, args.entityName)), args, (p) => projectObject(ctx, p))

const upsertProject = (args: {input?: {name?: string; entityName?: string; description?: string}}, ctx: Ctx) => {
  const input = args.input ?? {}
  const entity = entityOr(ctx, input.entityName)
  const existed = ctx.store.projects.find(entity, projectOr(input.name)) !== null
  const p = ctx.store.projects.ensure(entity, projectOr(input.name))
  const description = str(input.description)
  if (description !== null) ctx.store.db.query('UPDATE projects SET description = ? WHERE id = ?').run(description, p.id)
  const obj = projectObject(ctx, ctx.store.projects.get(p.id) ?? p)
  return {__typename: 'UpsertModelPayload', model: obj, project: obj, inserted: !existed}
}

/** Root fields of this domain. */
export const projectsRoot = {
  project,
  model: project,
  projects,
  models: projects,
  upsertModel: upsertProject,
  upsertProject,
}
