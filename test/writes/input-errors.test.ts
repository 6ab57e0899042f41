/** Values of the wrong type, as literals or variables, are the client's bad input: BAD_USER_INPUT. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModels } from '../../models/index.ts';
import { drivers } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

describe.each(drivers)('input type errors on %s', (driver) => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(driver, demoModels);
  });
  afterAll(() => api?.close());

  const codesOf = (result: Awaited<ReturnType<TestServer['query']>>) =>
    result.errors?.map((e) => e.extensions?.code);

  it('answers a literal of the wrong type with BAD_USER_INPUT and runs nothing', async () => {
    const result = await api.query('mutation { createRole(input: { name: 5 }) { id } }');
    expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.message).toBe('String cannot represent a non string value: 5');
    expect(result.data).toBeUndefined();
  });

  it('answers a variable of the wrong type with BAD_USER_INPUT and runs nothing', async () => {
    const result = await api.query('mutation ($n: String!) { createRole(input: { name: $n }) { id } }', {
      n: 5,
    });
    expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.message).toMatch(/^Variable "\$n" got invalid value 5/);
    expect(result.extensions?.sql?.statements).toBe(0);
  });

  it('answers a variable object with an unknown field with BAD_USER_INPUT naming it', async () => {
    const result = await api.query('mutation ($i: CreateRoleInput!) { createRole(input: $i) { id } }', {
      i: { name: 'x', nme: 'x' },
    });
    expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.message).toMatch(/Field "nme" is not defined by type "CreateRoleInput"/);
  });

  it('keeps GRAPHQL_VALIDATION_FAILED for a document that asks for what does not exist', async () => {
    const result = await api.query('{ users { nodes { nme } } }');
    expect(codesOf(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(result.errors?.[0]?.message).toBe('Cannot query field "nme" on type "User". Did you mean "name"?');
  });

  it('still runs a well-typed request', async () => {
    const result = await api.query('mutation ($n: String!) { createRole(input: { name: $n }) { name } }', {
      n: 'x',
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ createRole: { name: 'x' } });
  });
});
