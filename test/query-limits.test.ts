/**
 * Query limits: for each, a request at the limit runs and one just over it is refused before any SQL
 * with QUERY_TOO_COMPLEX, HTTP 400 (for every media type) and a message naming the limit and the
 * value found. Depth, aliases, tokens, directives, input depth, write rows and batching use the
 * production defaults; the cost limit is set small so its arithmetic is easy to follow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModels } from '../models/index.ts';
import { defaultLimits } from '../server/limits/limits.ts';
import { drivers } from './support/databases.ts';
import { demoSeed, type GraphQLResponse, startTestServer, type TestServer } from './support/test-server.ts';

interface Answer {
  status: number;
  body: GraphQLResponse & Array<GraphQLResponse>;
}

/** POSTs `body` (JSON-encoded unless it is a string already). */
async function send(
  api: TestServer,
  body: unknown,
  accept = 'application/graphql-response+json',
): Promise<Answer> {
  const response = await api.server.yoga.fetch('http://relgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

function expectRuns(answer: Answer) {
  expect(answer.body.errors).toBeUndefined();
  expect(answer.status).toBe(200);
}

/** Refused with one QUERY_TOO_COMPLEX naming `limit`, its maximum and the value found, before any statement. */
function expectRefused(answer: Answer, limit: string, max: number, found: number) {
  expect(answer.status).toBe(400);
  expect(answer.body.data ?? null).toBeNull();
  const [error, ...others] = answer.body.errors ?? [];
  expect(others).toEqual([]);
  expect(error?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit, max, found });
  expect(error?.message).toContain(
    `is ${found.toLocaleString('en-US')}; the limit is ${max.toLocaleString('en-US')} (${limit})`,
  );
  expect(answer.body.extensions?.sql?.statements ?? 0).toBe(0);
}

/** `users(first: 1) { nodes { … } }` nested through `author { posts(first: 1) { nodes { … } } }` to `depth` field levels, `__typename` innermost. */
function queryOfDepth(depth: number): string {
  // users → nodes → posts → nodes → author → posts → nodes → … ; the innermost field is `id`.
  const levels = ['users(first: 1)', 'nodes', 'posts(first: 1)', 'nodes', 'author'];
  const path: string[] = [];
  for (let level = 0; path.length < depth - 1; level += 1) {
    path.push(level < 2 ? (levels[level] as string) : (levels[2 + ((level - 2) % 3)] as string));
  }
  return `{ ${path.map((field) => `${field} {`).join(' ')} __typename ${'}'.repeat(path.length)} }`;
}

/** A `UserWhere` nested exactly `depth` levels (every object and list is one level). */
function whereOfDepth(depth: number): Record<string, unknown> {
  let where: Record<string, unknown> = { name: { eq: 'nobody' } };
  let levels = 2;
  if ((depth - levels) % 2 === 1) {
    where = { not: where };
    levels += 1;
  }
  while (levels < depth) {
    where = { and: [where] };
    levels += 2;
  }
  return where;
}

const literal = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(literal).join(', ')}]`
    : value !== null && typeof value === 'object'
      ? `{ ${Object.entries(value)
          .map(([key, item]) => `${key}: ${literal(item)}`)
          .join(', ')} }`
      : JSON.stringify(value);

describe.each(drivers)('query limits on %s', (driver) => {
  let api: TestServer;
  let costly: TestServer;
  beforeAll(async () => {
    [api, costly] = await Promise.all([
      startTestServer(driver, demoModels, { seed: demoSeed(12) }),
      startTestServer(driver, demoModels, { seed: demoSeed(12), limits: { maxCost: 1003 } }),
    ]);
  });
  afterAll(() => Promise.all([api?.close(), costly?.close()]));

  it('uses the production defaults (each tested below; the cost with a small limit, so 50,000 here)', () => {
    expect(api.server.settings.limits).toEqual(defaultLimits);
    expect(defaultLimits.maxCost).toBe(50_000);
  });

  it('maxDepth: 12 levels run, 13 are refused', async () => {
    expectRuns(await send(api, { query: queryOfDepth(12) }));
    expectRefused(await send(api, { query: queryOfDepth(13) }), 'maxDepth', 12, 13);
  });

  it('maxAliases: 15 aliases run, 16 are refused', async () => {
    const aliases = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `u${i}: user(id: ${i + 1}) { id }`).join(' ')} }`;
    expectRuns(await send(api, { query: aliases(15) }));
    expectRefused(await send(api, { query: aliases(16) }), 'maxAliases', 15, 16);
  });

  it('maxTokens: 2,000 tokens run, 2,001 are refused while parsing', async () => {
    // `{ users ( first : 1 where : { name : { in : [` and `] } } ) { totalCount } }` are 23 tokens;
    // each string is one more (commas are not tokens).
    const tokens = (n: number) =>
      `{ users(first: 1 where: { name: { in: [${'"a", '.repeat(n - 23)}] } }) { totalCount } }`;
    expectRuns(await send(api, { query: tokens(2000) }));
    expectRefused(await send(api, { query: tokens(2001) }), 'maxTokens', 2000, 2001);
    expectRefused(await send(api, { query: tokens(2001) }, 'application/json'), 'maxTokens', 2000, 2001);
    // The count goes on past the limit, so the client learns how far over it is.
    expectRefused(await send(api, { query: tokens(2500) }), 'maxTokens', 2000, 2500);
  });

  it('maxDirectives: 50 directives run, 51 are refused', async () => {
    const directives = (n: number) => `{ user(id: 1) { ${'id @include(if: true) '.repeat(n)} } }`;
    expectRuns(await send(api, { query: directives(50) }));
    expectRefused(await send(api, { query: directives(51) }), 'maxDirectives', 50, 51);
  });

  it('maxInputDepth: a filter 32 levels deep runs, 33 is refused, in a variable or in the document', async () => {
    const byVariable = (depth: number) => ({
      query: 'query ($where: UserWhere) { users(where: $where) { totalCount } }',
      variables: { where: whereOfDepth(depth) },
    });
    const inDocument = (depth: number) => ({
      query: `{ users(where: ${literal(whereOfDepth(depth))}) { totalCount } }`,
    });
    for (const request of [byVariable, inDocument]) {
      const ok = await send(api, request(32));
      expectRuns(ok);
      expect(ok.body.data).toEqual({ users: { totalCount: 0 } });
      expectRefused(await send(api, request(33)), 'maxInputDepth', 32, 33);
    }
  });

  it('maxFilterNodes: filters of 100 nodes run, 101 are refused, from a variable or the document; relation filters count', async () => {
    // or (1) + 24 relation filters of 4 nodes (posts, some, title, eq) + email (1) with 2 or 3 operators.
    const filter = (operators: Record<string, unknown>) => ({
      or: Array.from({ length: 24 }, (_, i) => ({ posts: { some: { title: { eq: `t${i}` } } } })),
      email: { contains: '@', ne: 'x', ...operators },
    });
    const byVariable = (where: unknown) => ({
      query: 'query ($where: UserWhere) { users(where: $where) { totalCount } }',
      variables: { where },
    });
    const inDocument = (where: unknown) => ({ query: `{ users(where: ${literal(where)}) { totalCount } }` });
    // A variable inside a literal filter counts too.
    const mixed = (where: { or: unknown[]; email: unknown }) => ({
      query: `query ($email: StringFilter) { users(where: { or: ${literal(where.or)}, email: $email }) { totalCount } }`,
      variables: { email: where.email },
    });
    for (const request of [byVariable, inDocument, mixed]) {
      const ok = await send(api, request(filter({})));
      expectRuns(ok);
      expect(ok.body.data).toEqual({ users: { totalCount: 0 } });
      expectRefused(await send(api, request(filter({ isNull: false }))), 'maxFilterNodes', 100, 101);
    }
    // The filters of relation fields add up with the list's own.
    const nested = await send(api, {
      query: `query ($where: PostWhere) { users(first: 1, where: ${literal(filter({}))}) { nodes { posts(where: $where) { totalCount } } } }`,
      variables: { where: { title: { eq: 'x' } } },
    });
    expectRefused(nested, 'maxFilterNodes', 100, 102);
  });

  it('maxListLength: an "in" list of 5,000 items runs, 5,001 are refused, and so is an "or" of 5,001', async () => {
    const query = 'query ($where: UserWhere) { users(where: $where) { totalCount } }';
    const ids = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1));
    const ok = await send(api, { query, variables: { where: { id: { in: ids(5000) } } } });
    expectRuns(ok);
    expect(ok.body.data).toEqual({ users: { totalCount: 12 } });
    expectRefused(
      await send(api, { query, variables: { where: { id: { in: ids(5001) } } } }),
      'maxListLength',
      5000,
      5001,
    );
    // Empty filters weigh no nodes: the list's length bounds what an "or" of them costs to compile.
    const or = await send(api, {
      query,
      variables: { where: { or: Array.from({ length: 5001 }, () => ({})) } },
    });
    expectRefused(or, 'maxListLength', 5000, 5001);
  });

  it('maxInputDepth measures a variable nested 100,000 levels deep without overflowing the stack', async () => {
    // Written out by hand: JSON.stringify itself would overflow on a value this deep.
    const where = `${'{"and":['.repeat(50_000)}{"name":{"eq":"x"}}${']}'.repeat(50_000)}`;
    const query = JSON.stringify('query ($where: UserWhere) { users(where: $where) { totalCount } }');
    const answer = await send(api, `{"query":${query},"variables":{"where":${where}}}`);
    expectRefused(answer, 'maxInputDepth', 32, 100_002);
  });

  it('maxCost: lists weigh by their page size from a variable, nested lists multiply', async () => {
    // 1 (users) + 1 (totalCount) + 1 (nodes) + first × (id + posts + posts.nodes + second × id)
    // = 3 + first × (3 + second): 10 users with 97 posts each cost exactly 1,003.
    const query = `query ($first: Int, $second: Int) {
      users(first: $first) { totalCount nodes { id posts(first: $second) { nodes { id } } } }
    }`;
    const ok = await send(costly, { query, variables: { first: 10, second: 97 } });
    expectRuns(ok);
    expect((ok.body.data?.users as { nodes: unknown[] } | undefined)?.nodes).toHaveLength(10);
    expectRefused(await send(costly, { query, variables: { first: 10, second: 98 } }), 'maxCost', 1003, 1013);
  });

  it('maxCost: a hasMany list weighs by last as it does by first', async () => {
    const query = `query ($first: Int, $second: Int) {
      users(first: $first) { totalCount nodes { id posts(last: $second) { nodes { id } } } }
    }`;
    expectRuns(await send(costly, { query, variables: { first: 10, second: 97 } }));
    expectRefused(await send(costly, { query, variables: { first: 10, second: 98 } }), 'maxCost', 1003, 1013);
  });

  it('maxCost: a list without first/last weighs as the largest page (maxPageSize 100)', async () => {
    const query = '{ users(first: 10) { totalCount nodes { id posts { nodes { id } } } } }';
    expectRefused(await send(costly, { query }), 'maxCost', 1003, 3 + 10 * 103);
    // The cost of an operation without variables is kept: the same document is refused again.
    expectRefused(await send(costly, { query }), 'maxCost', 1003, 3 + 10 * 103);
  });

  it('maxWriteRows: a mutation writing 1,000 rows runs, 1,001 is refused before any SQL', async () => {
    // createRole is 1 row, each nested create 1 more; the users come in a variable.
    const query = `mutation ($users: [CreateUserWithoutRoleInput!]) {
      createRole(input: { name: "crowd", users: { create: $users } }) { id users(first: 1) { totalCount } }
    }`;
    const users = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ name: `Bulk ${i}`, email: `bulk.${i}@example.com` }));
    expectRefused(await send(api, { query, variables: { users: users(1000) } }), 'maxWriteRows', 1000, 1001);
    const ok = await send(api, { query, variables: { users: users(999) } });
    expectRuns(ok);
    expect(ok.body.data?.createRole).toMatchObject({ users: { totalCount: 999 } });
  });

  it('maxWriteRows counts every nested operation, in the document and in variables, at any depth', async () => {
    // 1 (updateUser) + 1 connect + one per update (a variable) + 2 creates (in the document).
    const query = `mutation ($updates: [UserPostsUpdateItemInput!]) {
      updateUser(id: 1, input: { role: { connect: { name: "member" } }, posts: { update: $updates, create: [
        { title: "a", body: "a", status: draft }, { title: "b", body: "b", status: draft }] } }) { id }
    }`;
    const update = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ where: { id: String(i + 1) }, data: { title: `t${i}` } }));
    // The issue's request: 12,000 nested updates in a 900 KB body, refused before any statement.
    expectRefused(
      await send(api, { query, variables: { updates: update(12_000) } }),
      'maxWriteRows',
      1000,
      1 + 1 + 12_000 + 2,
    );
    expectRefused(
      await send(api, { query, variables: { updates: update(997) } }),
      'maxWriteRows',
      1000,
      1001,
    );
  });

  it('refuses with HTTP 400 for application/json clients too, and reports every limit exceeded at once', async () => {
    const tooDeep = await send(api, { query: queryOfDepth(13) }, 'application/json');
    expectRefused(tooDeep, 'maxDepth', 12, 13);
    const both = await send(api, {
      query: `{ ${Array.from({ length: 16 }, (_, i) => `u${i}: user(id: 1) { id }`).join(' ')} ${queryOfDepth(13).slice(1, -1)} }`,
    });
    expect(both.status).toBe(400);
    expect(both.body.errors?.map((error) => error.extensions?.limit).sort()).toEqual([
      'maxAliases',
      'maxDepth',
    ]);
  });

  it('maxBatchedOperations: a batch of 10 operations runs, 11 are refused, an empty one is bad input', async () => {
    const batch = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ query: `{ user(id: ${i + 1}) { id } }` }));
    const ten = await send(api, batch(10));
    expect(ten.status).toBe(200);
    expect(ten.body.map((one) => one.data)).toEqual(
      batch(10).map((_, i) => ({ user: { id: String(i + 1) } })),
    );
    expectRefused(await send(api, batch(11)), 'maxBatchedOperations', 10, 11);
    const empty = await send(api, []);
    expect(empty.status).toBe(400);
    expect(empty.body.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('lets introspection (GraphiQL) through the depth and cost limits', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const answer = await send(api, { query: getIntrospectionQuery() });
    expectRuns(answer);
    expect(answer.body.data?.__schema).toBeDefined();
  });
});
