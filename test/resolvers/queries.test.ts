/** The GraphQL read surface over the demo models and seed, with the statements each request costs. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModels } from '../../models/index.ts';
import { drivers } from '../support/databases.ts';
import { demoSeed, type GraphQLResponse, startTestServer, type TestServer } from '../support/test-server.ts';

const USERS = 45;
/** The seed's rules (models/seed.ts), by 0-based user index; user ids are index + 1. */
const userIds = Array.from({ length: USERS }, (_, i) => i + 1);
const hasPhone = (id: number) => (id - 1) % 7 !== 6;
const hasAddress = (id: number) => (id - 1) % 10 !== 9;
const roleOf = (id: number) => ((id - 1) % 20 === 0 ? 'admin' : (id - 1) % 5 === 0 ? 'editor' : 'member');

type Node = Record<string, unknown>;
interface Page {
  nodes: Node[];
  edges: Array<{ cursor: string; node: Node }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  totalCount: number;
}

/** A cursor of the same ordering as `real` (its signature) holding other order values. */
function cursorWith(real: string, values: unknown[]): string {
  const [signature] = JSON.parse(Buffer.from(real, 'base64url').toString('utf8')) as [string];
  return Buffer.from(JSON.stringify([signature, ...values])).toString('base64url');
}

const pageOf = (result: GraphQLResponse, list: string) => result.data?.[list] as Page;
const idsOf = (nodes: readonly Node[]) => nodes.map((node) => Number(node.id));

/** An error response a client can act on: one error with this code, and no stack trace anywhere. */
function expectClientError(result: GraphQLResponse, code: string, message?: RegExp | string) {
  expect(result.errors?.map((error) => error.extensions?.code)).toEqual([code]);
  if (message) expect(result.errors?.[0]?.message).toMatch(message);
  expectNoStackTrace(result);
}

function expectNoStackTrace(result: GraphQLResponse) {
  const text = JSON.stringify(result);
  expect(text).not.toContain(`at ${'/'}`);
  expect(text).not.toMatch(/\.ts:\d+/);
}

describe.each(drivers)('GraphQL queries on %s', (driver) => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(driver, demoModels, { seed: demoSeed(USERS) });
  });
  afterAll(() => api?.close());

  describe('lookups by primary key and unique field', () => {
    it('finds a user by id, by email and a role by name', async () => {
      const result = await api.query(`{
        user(id: 5) { id name email }
        userByEmail(email: "user12@example.com") { id email }
        roleByName(name: "editor") { id name }
      }`);
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({
        user: { id: '5', name: 'Barbara Lovelace', email: 'user5@example.com' },
        userByEmail: { id: '12', email: 'user12@example.com' },
        roleByName: { id: '2', name: 'editor' },
      });
    });

    it('answers null for an id, email or name that matches no row', async () => {
      const result = await api.query(`{
        user(id: 99999) { id }
        userByEmail(email: "nobody@example.com") { id }
        roleByName(name: "owner") { id }
      }`);
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ user: null, userByEmail: null, roleByName: null });
    });

    it.each([
      ['a word', 'abc'],
      ['beyond 32 bits', '99999999999'],
      ['a decimal', '1.5'],
    ])('refuses an id that is %s with BAD_USER_INPUT naming User.id, before any statement', async (_, id) => {
      const result = await api.query('query ($id: ID!) { user(id: $id) { id } }', { id });
      expectClientError(result, 'BAD_USER_INPUT', /User\.id/);
      expect(result.errors?.[0]?.message).toContain(JSON.stringify(id));
      expect(result.errors?.[0]?.message).not.toMatch(/syntax|out of range|postgres/i);
      expect(result.data).toEqual({ user: null });
      expect(result.extensions?.sql?.statements).toBe(0);
    });
  });

  describe('users(first, after)', () => {
    const pageQuery = `query ($first: Int, $after: String) {
      users(first: $first, after: $after) {
        nodes { id }
        edges { cursor node { id email } }
        pageInfo { hasNextPage hasPreviousPage endCursor }
      }
    }`;
    let realCursor = '';
    beforeAll(async () => {
      realCursor = pageOf(await api.query(pageQuery, { first: 1 }), 'users').pageInfo.endCursor ?? '';
    });

    it('pages in primary-key order, each endCursor chaining to the next page without overlap', async () => {
      const seen: number[] = [];
      const hasNext: boolean[] = [];
      let after: string | null = null;
      do {
        const result = await api.query(pageQuery, { first: 20, after });
        expect(result.errors).toBeUndefined();
        const page = pageOf(result, 'users');
        seen.push(...idsOf(page.nodes));
        hasNext.push(page.pageInfo.hasNextPage);
        expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after !== null && hasNext.length < 10);
      expect(hasNext).toEqual([true, true, false]);
      expect(seen).toEqual(userIds);
    });

    it('gives every edge its node and a cursor; the last edge cursor is the endCursor and pages on', async () => {
      const page = pageOf(await api.query(pageQuery, { first: 3 }), 'users');
      expect(page.edges.map((edge) => edge.node)).toEqual([
        { id: '1', email: 'user1@example.com' },
        { id: '2', email: 'user2@example.com' },
        { id: '3', email: 'user3@example.com' },
      ]);
      expect(page.edges.at(-1)?.cursor).toBe(page.pageInfo.endCursor);
      const second = pageOf(await api.query(pageQuery, { first: 2, after: page.edges[0]?.cursor }), 'users');
      expect(idsOf(second.nodes)).toEqual([2, 3]);
    });

    it('answers an empty page past the end with hasNextPage false and a null endCursor', async () => {
      const after = cursorWith(realCursor, [String(USERS)]);
      const page = pageOf(await api.query(pageQuery, { first: 5, after }), 'users');
      expect(page.nodes).toEqual([]);
      expect(page.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, endCursor: null });
    });

    it('counts the whole list in totalCount, with exactly one extra statement only when selected', async () => {
      const withCount = await api.query('{ users(first: 5) { totalCount nodes { id } } }');
      expect(pageOf(withCount, 'users').totalCount).toBe(USERS);
      expect(withCount.extensions?.sql?.statements).toBe(2);
      expect(await api.statementsOf('{ users(first: 5) { nodes { id } } }')).toBe(1);
    });

    it('accepts first: 100 (the default maximum) and first: 0', async () => {
      const result = await api.query(
        '{ big: users(first: 100) { nodes { id } } none: users(first: 0) { nodes { id } pageInfo { hasNextPage } } }',
      );
      expect(result.errors).toBeUndefined();
      expect(pageOf(result, 'big').nodes).toHaveLength(USERS);
      expect(pageOf(result, 'none').nodes).toEqual([]);
      expect(pageOf(result, 'none').pageInfo.hasNextPage).toBe(true);
    });

    it.each([101, -1])('refuses first: %i with BAD_USER_INPUT and runs no statement', async (first) => {
      const result = await api.query(pageQuery, { first });
      expectClientError(result, 'BAD_USER_INPUT', /"first" must be between 0 and 100/);
      expect(result.extensions?.sql?.statements).toBe(0);
    });

    it.each([
      ['not base64 JSON', () => 'not-a-cursor'],
      ['empty', () => ''],
      ['JSON of the wrong shape', () => Buffer.from('{"id":1}').toString('base64url')],
      ['a key that is not an id', () => cursorWith(realCursor, ['abc'])],
      ['a key past 32 bits', () => cursorWith(realCursor, ['99999999999'])],
      ['of another ordering', () => Buffer.from(JSON.stringify(['other', '1'])).toString('base64url')],
    ])('refuses an "after" cursor that is %s with BAD_USER_INPUT, not a crash', async (_, cursor) => {
      const result = await api.query(pageQuery, { first: 5, after: cursor() });
      expectClientError(result, 'BAD_USER_INPUT', /after/);
      expect(result.data).toBeNull();
      expect(result.extensions?.sql?.statements).toBe(0);
    });
  });

  describe('relations', () => {
    it('loads the users of every role (hasMany) with one page and one count statement for all roles', async () => {
      const result = await api.query('{ roles { nodes { name users { totalCount nodes { id } } } } }');
      expect(result.errors).toBeUndefined();
      const roles = pageOf(result, 'roles').nodes as Array<{ name: string; users: Page }>;
      expect(roles.map((role) => role.name)).toEqual(['admin', 'editor', 'member']);
      for (const role of roles) {
        const expected = userIds.filter((id) => roleOf(id) === role.name);
        expect(idsOf(role.users.nodes)).toEqual(expected);
        expect(role.users.totalCount).toBe(expected.length);
      }
      // roles; the users page of every role (one window query); the users total of every role (one count).
      expect(result.extensions?.sql?.statements).toBe(3);
      const pagesOnly = await api.query('{ roles { nodes { users { nodes { id } } } } }');
      expect(pagesOnly.extensions?.sql?.statements).toBe(2);
    });

    it('loads the posts of every user on a page (hasMany) in one statement', async () => {
      const result = await api.query('{ users(first: 45) { nodes { id posts { nodes { title } } } } }');
      const users = pageOf(result, 'users').nodes as Array<{ id: string; posts: Page }>;
      expect(users).toHaveLength(USERS);
      for (const user of users) {
        expect(user.posts.nodes).toEqual([1, 2, 3].map((n) => ({ title: `Note ${n} by user ${user.id}` })));
      }
      expect(result.extensions?.sql?.statements).toBe(2);
    });

    it('answers null for an optional belongsTo without a row (every 10th user has no address)', async () => {
      const result = await api.query('{ users(first: 45) { nodes { id address { street } } } }');
      const users = pageOf(result, 'users').nodes as Array<{
        id: string;
        address: { street: string } | null;
      }>;
      const withoutAddress = users.filter((user) => user.address === null).map((user) => Number(user.id));
      expect(withoutAddress).toEqual(userIds.filter((id) => !hasAddress(id)));
      expect(users[0]?.address).toEqual({ street: '1 Analytical Row' });
      expect(result.extensions?.sql?.statements).toBe(2);
    });

    it('answers null for a hasOne without a row (every 7th user has no phone)', async () => {
      const result = await api.query('{ users(first: 45) { nodes { id phone { number user { id } } } } }');
      const users = pageOf(result, 'users').nodes as Array<{ id: string; phone: Node | null }>;
      const withoutPhone = users.filter((user) => user.phone === null).map((user) => Number(user.id));
      expect(withoutPhone).toEqual(userIds.filter((id) => !hasPhone(id)));
      expect(users[1]?.phone).toEqual({ number: '+44 20 7946 0001', user: { id: '2' } });
      expect(result.extensions?.sql?.statements).toBe(2);
    });
  });

  describe('values', () => {
    it('returns enum values by name and DateTime as ISO-8601 strings (null when unset)', async () => {
      const result = await api.query(`{
        user(id: 3) { createdAt posts { nodes { status publishedAt } } }
      }`);
      expect(result.errors).toBeUndefined();
      const user = result.data?.user as { createdAt: string; posts: Page };
      expect(user.createdAt).toBe('2026-01-01T02:00:00.000Z');
      expect(user.posts.nodes).toEqual([
        { status: 'published', publishedAt: '2026-02-01T00:07:00.000Z' },
        { status: 'published', publishedAt: '2026-02-01T00:08:00.000Z' },
        { status: 'draft', publishedAt: null },
      ]);
    });
  });
});

describe.each(drivers)('server limits on %s', (driver) => {
  let limited: TestServer;
  let quiet: TestServer;
  beforeAll(async () => {
    [limited, quiet] = await Promise.all([
      startTestServer(driver, demoModels, { seed: demoSeed(10), maxStatementsPerRequest: 2, maxPageSize: 5 }),
      startTestServer(driver, demoModels, { seed: demoSeed(10), sqlStats: false }),
    ]);
  });
  afterAll(() => Promise.all([limited?.close(), quiet?.close()]));

  it('runs a 2-statement query within maxStatementsPerRequest: 2', async () => {
    const result = await limited.query('{ users(first: 5) { nodes { id phone { number } } } }');
    expect(result.errors).toBeUndefined();
    expect(result.extensions?.sql?.statements).toBe(2);
  });

  it('fails a 4-statement query with QUERY_TOO_COMPLEX under maxStatementsPerRequest: 2', async () => {
    const result = await limited.query(
      '{ users(first: 5) { nodes { id phone { number } profile { bio } address { street } } } }',
    );
    expect(result.errors?.length).toBeGreaterThan(0);
    expect(new Set(result.errors?.map((error) => error.extensions?.code))).toEqual(
      new Set(['QUERY_TOO_COMPLEX']),
    );
    expect(result.errors?.[0]?.message).toContain('maxStatementsPerRequest');
    expectNoStackTrace(result);
  });

  it('takes maxPageSize from the options: first: 5 passes, first: 6 is BAD_USER_INPUT', async () => {
    const ok = await limited.query('{ users(first: 5) { nodes { id } } }');
    expect(pageOf(ok, 'users').nodes).toHaveLength(5);
    const tooMany = await limited.query('{ users(first: 6) { nodes { id } } }');
    expectClientError(tooMany, 'BAD_USER_INPUT', /between 0 and 5/);
  });

  it('leaves extensions.sql out when sqlStats is false', async () => {
    const result = await quiet.query('{ users(first: 3) { nodes { id phone { number } } } }');
    expect(pageOf(result, 'users').nodes).toHaveLength(3);
    expect(result.extensions?.sql).toBeUndefined();
  });
});
