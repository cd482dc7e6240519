/**
 * Linking (Go linker.go) against the local backend: by server id and by client id, and registry
 * projects resolved through the entity's organization (the organization answer is faked, since
 * the backend has no organizations).
 */
import {describe, expect, test} from 'bun:test'
import {join} from 'node:path'
import {ArtifactError, ArtifactInputError, linkArtifact} from '../../../src/core/artifacts/index.ts'
import {LinkArtifactRequest} from '../../../src/core/proto.ts'
import {artifactTestBed, clients, recordOf, saveManager} from './helpers.ts'

const {backend, dir} = await artifactTestBed({withRun: true})

async function saved(name: string) {
  dir.file(`${name}/f.txt`, name)
  const artifact = await recordOf(join(dir.path, name), {name, staging: join(dir.path, 'staging')})
  const id = await saveManager(backend, join(dir.path, 'cache')).manager.save({artifact})
  return {id, clientId: artifact.client_id}
}

/** A fetch answering FetchOrgEntityFromEntity itself and passing everything else to the backend. */
function withOrganization(org: {name: string; orgEntity: {name: string}} | null): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const body = input instanceof Request ? await input.clone().text() : String(init?.body ?? '')
    if (body.includes('FetchOrgEntityFromEntity')) return Response.json({data: {entity: {organization: org}}})
    return fetch(input, init)
  }) as typeof fetch
}

const request = (o: Partial<LinkArtifactRequest>) => LinkArtifactRequest.create({portfolio_name: 'portfolio', portfolio_entity: 'nexus', portfolio_project: 'arts', portfolio_aliases: ['prod'], ...o})

describe('linkArtifact', () => {
  test('links by server id or by client id and resolves the portfolio version index', async () => {
    const a = await saved('first')
    const b = await saved('second')
    const {graphql} = clients(backend)
    expect(await linkArtifact(graphql, request({server_id: a.id}))).toBe(0)
    expect(await linkArtifact(graphql, request({client_id: b.clientId, portfolio_aliases: []}))).toBe(1)
    const links = Object.fromEntries((await backend.inspectArtifacts()).map((x) => [x.name, x.links]))
    expect(links).toEqual({first: ['nexus/arts/portfolio:v0'], second: ['nexus/arts/portfolio:v1']})
    await expect(linkArtifact(graphql, request({}))).rejects.toThrow(ArtifactInputError)
  })

  test("a registry project is linked under the organization's entity; a wrong organization is refused", async () => {
    const a = await saved('reg')
    const {graphql} = clients(backend, {fetch: withOrganization({name: 'Org Display', orgEntity: {name: 'org-entity'}})})
    expect(await linkArtifact(graphql, request({server_id: a.id, portfolio_project: 'wandb-registry-models', portfolio_organization: 'Org Display'}))).toBe(0)
    expect((await backend.inspectArtifacts()).find((x) => x.name === 'reg')?.links).toEqual(['org-entity/wandb-registry-models/portfolio:v0'])
    const wrong = linkArtifact(graphql, request({server_id: a.id, portfolio_project: 'wandb-registry-models', portfolio_organization: 'someone-else'}))
    await expect(wrong).rejects.toThrow('artifact belongs to the organization "Org Display" and cannot be linked/fetched with "someone-else"')
  })

  test('an entity without an organization cannot link into a registry', async () => {
    const a = await saved('noorg')
    const {graphql} = clients(backend)
    const err = await linkArtifact(graphql, request({server_id: a.id, portfolio_project: 'wandb-registry-models'})).catch((e) => e)
    expect(err).toBeInstanceOf(ArtifactError)
    expect((err as Error).message).toContain('unable to resolve an organization associated with the entity: nexus')
  })
})
