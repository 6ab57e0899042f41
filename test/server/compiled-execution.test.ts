/**
 * Compiled execution (graphql-jit) answers exactly as the interpreting executor: data, errors with their
 * codes and paths, and SQL statement counts; and it keeps a bounded number of compiled documents.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModels } from '../../models/index.ts';
import { COMPILED_DOCUMENTS_LIMIT, compiledDocuments } from '../../server/use-compiled-execution.ts';
import { drivers } from '../support/databases.ts';
import { demoSeed, startTestServer, type TestServer } from '../support/test-server.ts';

const cases: Array<[string, string, Record<string, unknown>?]> = [
  [
    'relations through lists, edges, fragments and directives',
    `query Page($first: Int!, $links: Boolean!) {
      users(first: $first) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { id ...Links } }
        nodes { name phone @include(if: $links) { user { phone { number } } } }
      }
    }
    fragment Links on User { phone { number } ... on User { profile { bio } address @skip(if: false) { street } } }`,
    { first: 30, links: true },
  ],
  [
    'nested hasMany pages with aliases',
    '{ a: users(first: 5) { nodes { id posts(first: 2) { totalCount nodes { title status } } } } b: user(id: 3) { email } }',
  ],
  ['a lookup that finds nothing', 'query One($id: ID!) { user(id: $id) { id name } }', { id: '999999' }],
  ['an id that is not one', 'query One($id: ID!) { user(id: $id) { id } }', { id: 'not-a-number' }],
  [
    'a cursor that is not ours',
    'query After($after: String) { users(first: 2, after: $after) { nodes { id } } }',
    { after: 'bogus' },
  ],
  ['a page larger than allowed', '{ users(first: 100000) { nodes { id } } }'],
  [
    'a variable of the wrong type',
    'query Page($first: Int!) { users(first: $first) { nodes { id } } }',
    { first: 'ten' },
  ],
  ['a missing required variable', 'query Page($first: Int!) { users(first: $first) { nodes { id } } }', {}],
  ['a scalar serialised from a row', '{ users(first: 3) { nodes { createdAt } } }'],
];

describe.each(drivers)('compiled execution on %s', (driver) => {
  let compiled: TestServer;
  let interpreted: TestServer;
  beforeAll(async () => {
    compiled = await startTestServer(driver, demoModels, { seed: demoSeed(40) });
    interpreted = await startTestServer(driver, demoModels, { seed: demoSeed(40), compiledExecution: false });
  });
  afterAll(async () => {
    await compiled?.close();
    await interpreted?.close();
  });

  it.each(cases)('answers %s exactly as the interpreter does', async (_, query, variables) => {
    const expected = await interpreted.query(query, variables);
    expect(await compiled.query(query, variables)).toEqual(expected);
  });

  it('compiles queries whose variables are scalars, on the first request', async () => {
    const before = compiledDocuments(compiled.server.schema);
    const result = await compiled.query(
      'query ($id: ID!, $first: Int) { user(id: $id) { posts(first: $first) { nodes { id } } } }',
      { id: '1', first: 1 },
    );
    expect(result.errors).toBeUndefined();
    expect(compiledDocuments(compiled.server.schema)).toBe(before + 1);
    expect(compiledDocuments(interpreted.server.schema)).toBe(0);
  });

  it('leaves operations with input-object variables and mutations to the interpreter', async () => {
    const before = compiledDocuments(compiled.server.schema);
    const filtered = await compiled.query(
      'query ($where: UserWhere) { users(where: $where, first: 3) { nodes { id } } }',
      { where: { name: { startsWith: 'User' } } },
    );
    expect(filtered.errors).toBeUndefined();
    const mutation = await compiled.query('mutation { deleteUser(id: 999999) { id } }');
    expect(mutation).toEqual(await interpreted.query('mutation { deleteUser(id: 999999) { id } }'));
    expect(compiledDocuments(compiled.server.schema)).toBe(before);
  });

  it(`keeps at most ${COMPILED_DOCUMENTS_LIMIT} compiled documents`, async () => {
    for (let i = 0; i < COMPILED_DOCUMENTS_LIMIT + 20; i++) {
      const result = await compiled.query(`{ user(id: ${i + 1}) { id } }`);
      expect(result.errors).toBeUndefined();
    }
    expect(compiledDocuments(compiled.server.schema)).toBe(COMPILED_DOCUMENTS_LIMIT);
  });
});
