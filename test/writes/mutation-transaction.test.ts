/**
 * The fields of one mutation operation run in one transaction: every field commits or none does, and
 * an answer with an error is `data: null` saying what was rolled back — on both drivers, with the
 * compiled executor on or off. Batched operations stay separate transactions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModels } from '../../models/index.ts';
import { drivers } from '../support/databases.ts';
import { rowsOf } from '../support/row-counts.ts';
import { type GraphQLResponse, startTestServer, type TestServer } from '../support/test-server.ts';

type Row = Record<string, unknown>;

const setups = drivers.flatMap((driver) => [
  { driver, compiledExecution: true },
  { driver, compiledExecution: false },
]);

describe.each(setups)('one transaction per mutation on $driver (compiled: $compiledExecution)', (setup) => {
  let api: TestServer;
  let serial = 0;
  const unique = (what: string) => `${what}-${++serial}`;
  const roleNamed = async (name: string) => rowsOf(api.server, 'Role', { field: 'name', value: name });
  const errorsOf = (result: GraphQLResponse) =>
    (result.errors ?? []).map((error) => ({
      code: error.extensions?.code,
      path: (error as { path?: unknown }).path,
      message: error.message,
    }));

  beforeAll(async () => {
    api = await startTestServer(setup.driver, demoModels, { compiledExecution: setup.compiledExecution });
    await api.query('mutation { createRole(input: { name: "admin" }) { id } }');
  });
  afterAll(() => api?.close());

  // First: node-postgres warns of overlapping queries only once per process.
  it('reads the relations of the answer on the transaction one statement at a time (no overlapping queries)', async () => {
    const warnings: string[] = [];
    const listen = (warning: Error) => warnings.push(warning.message);
    process.on('warning', listen);
    const email = `${unique('parallel')}@example.com`;
    const result = await api.query(
      `mutation {
        createUser(input: { name: "P", email: "${email}", role: { connect: { name: "admin" } },
                            phone: { create: { number: "+47 9" } }, profile: { create: { bio: "B" } } }) {
          role { name } phone { number } profile { bio } posts { totalCount }
        }
      }`,
    );
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', listen);
    expect(result.errors).toBeUndefined();
    expect(warnings.filter((message) => message.includes('already executing a query'))).toEqual([]);
  });

  it('rolls back a field that succeeded when a later one fails, and answers data: null saying so', async () => {
    const name = unique('x');
    const result = await api.query(
      `mutation { a: createRole(input: { name: "${name}" }) { id } b: createRole(input: { name: "admin" }) { id } }`,
    );
    expect(result.data).toBeNull();
    expect(errorsOf(result)).toEqual([
      {
        code: 'CONFLICT',
        path: ['b'],
        message:
          'A Role with name "admin" already exists (Role.name is unique). The whole mutation was rolled back, as its fields commit together or not at all: "a" was rolled back.',
      },
    ]);
    expect(result.errors?.[0]?.extensions?.rolledBack).toEqual(['a']);
    expect(await roleNamed(name)).toEqual([]);
  });

  it('after a failing nullable field, runs no other field and names them all', async () => {
    const [first, last] = [unique('first'), unique('last')];
    const result = await api.query(
      `mutation {
        a: createRole(input: { name: "${first}" }) { id }
        gone: deletePhone(id: 999999) { id }
        c: createRole(input: { name: "${last}" }) { id }
      }`,
    );
    expect(result.data).toBeNull();
    expect(errorsOf(result)).toEqual([
      {
        code: 'NOT_FOUND',
        path: ['gone'],
        message:
          'id: no Phone with id "999999". The whole mutation was rolled back, as its fields commit together or not at all: "a" was rolled back and "c" did not run.',
      },
    ]);
    expect([...(await roleNamed(first)), ...(await roleNamed(last))]).toEqual([]);
  });

  it('leaves the message of a single failing field as it was', async () => {
    const result = await api.query('mutation { createRole(input: { name: "admin" }) { id } }');
    expect(result.data).toBeNull();
    expect(errorsOf(result)).toEqual([
      {
        code: 'CONFLICT',
        path: ['createRole'],
        message: 'A Role with name "admin" already exists (Role.name is unique).',
      },
    ]);
  });

  it('commits every field when all succeed', async () => {
    const [one, two] = [unique('one'), unique('two')];
    const result = await api.query(
      `mutation { a: createRole(input: { name: "${one}" }) { name } b: createRole(input: { name: "${two}" }) { name } }`,
    );
    expect(result).toMatchObject({ data: { a: { name: one }, b: { name: two } } });
    expect(result.errors).toBeUndefined();
    expect((await roleNamed(one)).length + (await roleNamed(two)).length).toBe(2);
  });

  it('lets each field read its own writes and those of the fields before it, in the same statements', async () => {
    const [role, email] = [unique('reader'), `${unique('reader')}@example.com`];
    const result = await api.query(
      `mutation {
        role: createRole(input: { name: "${role}" }) { name users { totalCount } }
        user: createUser(input: { name: "R", email: "${email}", role: { connect: { name: "${role}" } } }) {
          role { name users { nodes { email } } }
        }
        renamed: updateRole(id: 1, input: { name: "admin" }) { name }
        post: createPost(input: { title: "T", body: "B", status: published, author: { connect: { email: "${email}" } } }) {
          author { role { name } posts { totalCount } }
        }
      }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      role: { name: role, users: { totalCount: 0 } },
      user: { role: { name: role, users: { nodes: [{ email }] } } },
      renamed: { name: 'admin' },
      post: { author: { role: { name: role }, posts: { totalCount: 1 } } },
    });
    // As many as when each field was a transaction of its own (BEGIN and COMMIT are not counted).
    expect(result.extensions?.sql?.statements).toBe(13);
  });

  it('keeps the operations of a batched request in transactions of their own', async () => {
    const name = unique('batched');
    const response = await api.server.yoga.fetch('http://relgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify([
        { query: `mutation { createRole(input: { name: "${name}" }) { name } }` },
        { query: 'mutation { createRole(input: { name: "admin" }) { name } }' },
      ]),
    });
    const [committed, failed] = (await response.json()) as GraphQLResponse[];
    expect(committed).toMatchObject({ data: { createRole: { name } } });
    expect(failed?.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await roleNamed(name)).toHaveLength(1);
  });

  it('commits exactly one of ten concurrent mutations racing for a name, each whole or not at all', async () => {
    const shared = unique('shared');
    const own = Array.from({ length: 10 }, () => unique('own'));
    const results = await Promise.all(
      own.map((name) =>
        api.query(
          `mutation { a: createRole(input: { name: "${name}" }) { id } b: createRole(input: { name: "${shared}" }) { id } }`,
        ),
      ),
    );
    const winners = results.flatMap((result, n) => (result.errors ? [] : [own[n]]));
    expect(winners).toHaveLength(1);
    for (const result of results.filter((each) => each.errors)) {
      expect(result.data).toBeNull();
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['CONFLICT']);
    }
    const committed = await Promise.all(own.map(roleNamed));
    expect(own.filter((_, n) => (committed[n] as Row[]).length > 0)).toEqual(winners);
    expect(await roleNamed(shared)).toHaveLength(1);
  });
});
