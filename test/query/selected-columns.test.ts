/**
 * Queries select only the columns they read (query/selected-fields.ts, server/use-selected-fields.ts):
 * what `selectedFields` works out of a document, field by field; then, on both drivers, that every value
 * a query answers is the value stored — the same model reached by several paths with different fields,
 * fragments, cursors of root and hasMany lists, selections of only `__typename` or only a relation,
 * batches, mutations and access rules — that every statement of a model in one request selects the same
 * columns (its fields, the primary key and the key it matches on), and that statements stay one per level.
 */

import { type SQL, sql } from 'drizzle-orm';
import { buildSchema, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Row } from '../../db/prepared-rows.ts';
import { StatementCounter } from '../../db/statement-counter.ts';
import { demoModels } from '../../models/index.ts';
import {
  type ModelSelection,
  pickColumns,
  type SelectedFields,
  selectedFields,
  selectionOf,
} from '../../query/selected-fields.ts';
import type { Viewer } from '../../schema/access-rules.ts';
import { buildRelationGraph } from '../../schema/build-graph.ts';
import type { GraphModel } from '../../schema/graph.ts';
import { buildTypeDefs } from '../../schema/type-defs.ts';
import { type AccessServer, startAccessServer } from '../support/access-fixture.ts';
import { drivers } from '../support/databases.ts';
import { must } from '../support/must.ts';
import { rowsOf, sqlRows } from '../support/row-counts.ts';
import {
  demoAdmin,
  demoSeed,
  type GraphQLResponse,
  startTestServer,
  type TestServer,
} from '../support/test-server.ts';

// ---------------------------------------------------------------------------------------------------
// selectedFields on the demo models
// ---------------------------------------------------------------------------------------------------

const graph = buildRelationGraph(demoModels);
const schema = buildSchema(buildTypeDefs(graph));
const modelNamed = (name: string): GraphModel => must(graph.models.get(name), `model ${name}`);

type Described = Record<string, { fields: string[]; cursors: boolean }>;

/** What a selection says of every demo model that it reads more than the keys of (or lists with cursors). */
function described(selected: SelectedFields | undefined): Described | undefined {
  if (!selected) return undefined;
  const out: Described = {};
  for (const model of graph.models.values()) {
    const selection = must(selectionOf(selected, model), `selection of ${model.name}`);
    if (selection.fields.size > 0 || selection.cursors)
      out[model.name] = { fields: [...selection.fields].sort(), cursors: selection.cursors };
  }
  return out;
}

const selectedOf = (text: string, operationName?: string) =>
  described(selectedFields(schema, graph, parse(text), operationName));

const reads = (...fields: string[]) => ({ fields: [...fields].sort(), cursors: false });
const readsWithCursors = (...fields: string[]) => ({ fields: [...fields].sort(), cursors: true });

describe('selectedFields', () => {
  it('reads the scalar fields a plain query selects, model by model', () => {
    expect(selectedOf('{ users { nodes { name email } } posts { totalCount nodes { title } } }')).toEqual({
      User: reads('email', 'name'),
      Post: reads('title'),
    });
  });

  it('reads the fields of named fragments, nested fragments and fragments on Query', () => {
    const text = `
      query Q { ...Root users { nodes { ...Names } } }
      fragment Root on Query { posts { nodes { ...PostBits } } }
      fragment PostBits on Post { status author { ...Names } }
      fragment Names on User { name ...More }
      fragment More on User { createdAt }`;
    expect(selectedOf(text)).toEqual({
      User: reads('name', 'createdAt'),
      Post: reads('status', 'authorId'),
    });
  });

  it('reads the fields of inline fragments, with and without a type condition', () => {
    const text = '{ users { nodes { ... on User { email } ... { createdAt ... on User { roleId } } } } }';
    expect(selectedOf(text)).toEqual({ User: reads('email', 'createdAt', 'roleId') });
  });

  it('unites the fields of a model selected in several places', () => {
    const text = `{
      users { nodes { name } }
      phones { nodes { number user { email } } }
      user(id: 1) { createdAt }
      posts { nodes { author { addressId } } }
    }`;
    expect(selectedOf(text)).toEqual({
      User: reads('name', 'email', 'createdAt', 'addressId'),
      Phone: reads('number', 'userId'),
      Post: reads('authorId'),
    });
  });

  it('adds the source key of every relation followed: belongsTo, hasOne and hasMany', () => {
    expect(selectedOf('{ phones { nodes { user { name } } } }')).toEqual({
      Phone: reads('userId'),
      User: reads('name'),
    });
    expect(selectedOf('{ profiles { nodes { user { email } } } }')).toEqual({
      Profile: reads('ownerId'),
      User: reads('email'),
    });
    expect(selectedOf('{ users { nodes { phone { number } profile { bio } } } }')).toEqual({
      User: reads('id'),
      Phone: reads('number'),
      Profile: reads('bio'),
    });
    expect(selectedOf('{ roles { nodes { users { nodes { address { city } } } } } }')).toEqual({
      Role: reads('id'),
      User: reads('addressId'),
      Address: reads('city'),
    });
    expect(selectedOf('{ addresses { nodes { user { role { name } } } } }')).toEqual({
      Address: reads('id'),
      User: reads('roleId'),
      Role: reads('name'),
    });
  });

  it('keeps fields behind @include(if: false) and @skip(if: true), on fields and fragments', () => {
    const text = `query ($no: Boolean = false) {
      users { nodes {
        name @include(if: false)
        email @skip(if: true)
        ... @include(if: $no) { createdAt }
        ...Role @skip(if: true)
        phone @include(if: false) { number }
      } }
    }
    fragment Role on User { role { name } }`;
    expect(selectedOf(text)).toEqual({
      User: reads('name', 'email', 'createdAt', 'roleId', 'id'),
      Role: reads('name'),
      Phone: reads('number'),
    });
  });

  it('reads nothing of a model selected only by __typename (its keys only)', () => {
    const selected = must(
      selectedFields(schema, graph, parse('{ users { nodes { __typename } } }'), undefined),
      'a selection',
    );
    expect(described(selected)).toEqual({});
    expect(selectionOf(selected, modelNamed('User'))).toMatchObject({ fields: new Set(), cursors: false });
    expect(selectedOf('{ __typename posts { nodes { __typename author { __typename } } } }')).toEqual({
      Post: reads('authorId'),
    });
  });

  it('flags cursors of a list: edges.cursor, pageInfo.startCursor and endCursor, through fragments', () => {
    expect(selectedOf('{ users(first: 2) { edges { cursor node { name } } } }')).toEqual({
      User: readsWithCursors('name'),
    });
    expect(selectedOf('{ users { pageInfo { endCursor } nodes { name } } }')).toEqual({
      User: readsWithCursors('name'),
    });
    expect(selectedOf('{ posts { pageInfo { startCursor } } }')).toEqual({ Post: readsWithCursors() });
    const fragments = `{ users { nodes { posts { ...Page } } } }
      fragment Page on PostConnection { edges { node { title } } pageInfo { ... on PageInfo { endCursor } } }`;
    expect(selectedOf(fragments)).toEqual({ User: reads('id'), Post: readsWithCursors('title') });
    expect(
      selectedOf('{ users { nodes { posts { edges { ...E } } } } } fragment E on PostEdge { cursor }'),
    ).toEqual({ User: reads('id'), Post: readsWithCursors() });
  });

  it('does not flag cursors of a connection read without them, nor of the lists around one', () => {
    const text = `{ users { totalCount pageInfo { hasNextPage hasPreviousPage } edges { node { name } }
      nodes { posts(first: 1) { edges { cursor } } } } }`;
    expect(selectedOf(text)).toEqual({ User: reads('name', 'id'), Post: readsWithCursors() });
    expect(selectedOf('{ roles { edges { node { users { pageInfo { endCursor } } } } } }')).toEqual({
      Role: reads('id'),
      User: readsWithCursors(),
    });
  });

  it('answers each named operation of a document for itself', () => {
    const document = parse(`
      query A { users { nodes { name } } }
      query B { posts { edges { cursor node { title author { email } } } } }
      mutation C { createRole(input: { name: "x" }) { name users { nodes { email } } } }`);
    expect(described(selectedFields(schema, graph, document, 'A'))).toEqual({ User: reads('name') });
    expect(described(selectedFields(schema, graph, document, 'B'))).toEqual({
      Post: readsWithCursors('title', 'authorId'),
      User: reads('email'),
    });
    expect(selectedFields(schema, graph, document, 'C')).toBeUndefined();
    // Without a name, a document of several operations names none of them.
    expect(selectedFields(schema, graph, document, undefined)).toBeUndefined();
  });

  it('is undefined (every column) for a mutation', () => {
    const mutation =
      'mutation { createUser(input: { name: "A", email: "a@b.c" }) { name posts { nodes { title } } } }';
    expect(selectedFields(schema, graph, parse(mutation), undefined)).toBeUndefined();
    expect(
      selectedFields(schema, graph, parse(mutation.replace('mutation', 'mutation M')), 'M'),
    ).toBeUndefined();
  });

  it('is computed once per document object and operation', () => {
    const document = parse('query A { users { nodes { name } } } query B { users { nodes { email } } }');
    const a = selectedFields(schema, graph, document, 'A');
    expect(a).toBeDefined();
    expect(selectedFields(schema, graph, document, 'A')).toBe(a);
    const b = selectedFields(schema, graph, document, 'B');
    expect(b).not.toBe(a);
    expect(selectedFields(schema, graph, document, 'B')).toBe(b);
    const single = parse('{ users { nodes { name } } }');
    expect(selectedFields(schema, graph, single, undefined)).toBe(
      selectedFields(schema, graph, single, null),
    );
  });

  it('keys a selection by its fields and cursor flag, whatever their order', () => {
    const keyOf = (text: string) =>
      must(selectedFields(schema, graph, parse(text), undefined)?.get(modelNamed('User')), 'User').key;
    const nameEmail = keyOf('{ users { nodes { name email } } }');
    expect(keyOf('{ users { nodes { email name } } }')).toBe(nameEmail);
    expect(keyOf('{ users { nodes { name } } }')).not.toBe(nameEmail);
    expect(keyOf('{ users { edges { cursor } nodes { name email } } }')).not.toBe(nameEmail);
  });

  it('pickColumns keeps the wanted fields, the primary key and the matched keys; everything without wanted', () => {
    const user = modelNamed('User');
    const columns = {
      id: 'c_id',
      name: 'c_name',
      email: 'c_email',
      roleId: 'c_role',
      createdAt: 'c_created',
    };
    const wanted: ModelSelection = { fields: new Set(['name']), cursors: false, key: 'name' };
    const roleId = must(user.fields.get('roleId'), 'User.roleId');
    expect(pickColumns(columns, user, wanted)).toEqual({ id: 'c_id', name: 'c_name' });
    expect(pickColumns(columns, user, wanted, [roleId])).toEqual({
      id: 'c_id',
      name: 'c_name',
      roleId: 'c_role',
    });
    const all = pickColumns(columns, user, undefined);
    expect(all).toEqual(columns);
    expect(all).not.toBe(columns);
  });
});

// ---------------------------------------------------------------------------------------------------
// End to end, on both drivers
// ---------------------------------------------------------------------------------------------------

const USERS = 30;

/** Seeded roles: user 1 is an admin, user 6 an editor, user 2 a member (models/seed.ts). */
const VIEWERS: Record<string, Viewer | null> = {
  admin: demoAdmin,
  anonymous: null,
  member: { id: '2', role: 'member' },
};
type ViewerName = 'admin' | 'anonymous' | 'member';

/** A stored value as GraphQL answers it: keys as strings, instants as ISO strings. */
function answered(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return value;
}

/** A query's data: read loosely, every value is compared with the stored rows. */
// biome-ignore lint/suspicious/noExplicitAny: answers are compared whole, not typed field by field.
type Data = Record<string, any>;

const pick = (row: Row, ...fields: string[]): Row =>
  Object.fromEntries(fields.map((field) => [field, row[field]]));

/** Every SQL statement a request ran, as the statement counter saw it. */
const logQuery = vi.spyOn(StatementCounter.prototype, 'logQuery');

interface RowStatement {
  readonly table: string;
  /** The columns it selects (output names), sorted. */
  readonly columns: string[];
  readonly kind: 'list' | 'load' | 'children';
}

/** The row statements among `statements` (prepared-rows.ts wraps each in `json_build_array`). */
function rowStatements(statements: readonly string[]): RowStatement[] {
  const marker = ' as "columns" from (';
  const found: RowStatement[] = [];
  for (const text of statements) {
    const at = text.indexOf(marker);
    if (!text.startsWith('select json_build_array(') || at < 0) continue;
    const columns = [...text.slice(0, at).matchAll(/"relgraph_rows"\."([^"]+)"/g)].map(
      (match) => match[1] ?? '',
    );
    const table = must(/from "([^"]+)"/.exec(text.slice(at + marker.length))?.[1], `table of ${text}`);
    const kind = text.includes('row_number()') ? 'children' : text.includes('= any(') ? 'load' : 'list';
    found.push({ table, columns: columns.sort(), kind });
  }
  return found;
}

describe.each(drivers)('selected columns on %s', (driver) => {
  let api: TestServer;
  /** The stored rows of each model, as GraphQL answers them, in primary-key order. */
  const stored: Record<string, Row[]> = {};
  const byId = (model: string, id: unknown): Row =>
    must(
      stored[model]?.find((row) => row.id === String(id)),
      `${model} ${String(id)}`,
    );
  const where = (model: string, field: string, value: unknown): Row[] =>
    (stored[model] ?? []).filter((row) => row[field] === String(value));

  async function loadStored() {
    for (const model of demoModels) {
      const rows = await rowsOf(api.server, model.name);
      stored[model.name] = rows.map((row) =>
        Object.fromEntries(Object.entries(row).map(([field, value]) => [field, answered(value)])),
      );
    }
  }

  beforeAll(async () => {
    api = await startTestServer(driver, demoModels, {
      seed: demoSeed(USERS),
      authenticate: (request) => VIEWERS[request.headers.get('x-viewer') ?? 'admin'] ?? null,
    });
    await loadStored();
  });
  afterAll(() => api?.close());

  async function post(
    body: unknown,
    viewer: ViewerName = 'admin',
  ): Promise<{ status: number; body: unknown }> {
    const response = await api.server.yoga.fetch('http://relgraph.test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        'x-viewer': viewer,
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  async function run(
    query: string,
    variables?: Record<string, unknown>,
    viewer: ViewerName = 'admin',
  ): Promise<GraphQLResponse> {
    return (await post({ query, variables }, viewer)).body as GraphQLResponse;
  }

  /** The data of a query that must answer without errors. */
  async function data(query: string, variables?: Record<string, unknown>, viewer: ViewerName = 'admin') {
    const result = await run(query, variables, viewer);
    expect(result.errors).toBeUndefined();
    return must(result.data, 'data') as Data;
  }

  /** Runs a query and answers its data with the row statements it ran. */
  async function traced(query: string, variables?: Record<string, unknown>) {
    logQuery.mockClear();
    const result = await run(query, variables);
    const statements = logQuery.mock.calls.map(([text]) => text);
    expect(result.errors).toBeUndefined();
    return { data: must(result.data, 'data') as Data, statements: rowStatements(statements) };
  }

  /** Ids in the order the database sorts them. */
  async function idsInOrder(statement: SQL): Promise<string[]> {
    return (await sqlRows(api.server, statement)).map((row) => String(row.id));
  }

  describe('a model reached by several paths with different fields', () => {
    const query = `{
      users(first: 5) { nodes { id name } }
      phones(first: 30) { nodes { id number user { id email createdAt } } }
      user(id: 9) { name posts { nodes { title } } }
      roles { nodes { id name users(first: 30) { nodes { id email } } } }
    }`;

    it('answers every value of every path as stored', async () => {
      const answer = await data(query);
      const users = must(stored.User, 'users');
      expect(answer.users.nodes).toEqual(users.slice(0, 5).map((user) => pick(user, 'id', 'name')));
      const phones = must(stored.Phone, 'phones');
      expect(phones.length).toBeGreaterThan(20);
      expect(answer.phones.nodes).toEqual(
        phones.map((phone) => ({
          ...pick(phone, 'id', 'number'),
          user: pick(byId('User', phone.userId), 'id', 'email', 'createdAt'),
        })),
      );
      expect(answer.user).toEqual({
        name: byId('User', 9).name,
        posts: { nodes: where('Post', 'authorId', 9).map((post) => pick(post, 'title')) },
      });
      expect(answer.roles.nodes).toEqual(
        must(stored.Role, 'roles').map((role) => ({
          ...pick(role, 'id', 'name'),
          users: { nodes: where('User', 'roleId', role.id).map((user) => pick(user, 'id', 'email')) },
        })),
      );
    });

    it('answers the same through the other paths first, and through walks back over links', async () => {
      const answer = await data(`{
        phones(first: 30) { nodes { user { name phone { number user { email } } } } }
        posts(first: 90) { nodes { id author { createdAt profile { bio user { name } } } } }
        users(first: 3) { nodes { email } }
      }`);
      expect(answer.phones.nodes).toEqual(
        must(stored.Phone, 'phones').map((phone) => {
          const user = byId('User', phone.userId);
          return { user: { name: user.name, phone: { number: phone.number, user: { email: user.email } } } };
        }),
      );
      expect(answer.posts.nodes).toEqual(
        must(stored.Post, 'posts').map((post) => {
          const author = byId('User', post.authorId);
          const profile = must(where('Profile', 'ownerId', author.id)[0], 'profile');
          return {
            id: post.id,
            author: {
              createdAt: author.createdAt,
              profile: { bio: profile.bio, user: { name: author.name } },
            },
          };
        }),
      );
      expect(answer.users.nodes).toEqual(
        must(stored.User, 'users')
          .slice(0, 3)
          .map((user) => pick(user, 'email')),
      );
    });

    it('selects in every statement of a model the same columns: its fields, the primary key, the matched key', async () => {
      const { statements } = await traced(query);
      const users = statements.filter((statement) => statement.table === 'users');
      const base = ['created_at', 'email', 'id', 'name'];
      expect(users.map((statement) => statement.kind).sort()).toEqual(
        expect.arrayContaining(['children', 'list', 'load']),
      );
      for (const statement of users) {
        const matched = statement.kind === 'children' ? ['role_id'] : [];
        expect(statement.columns).toEqual([...base, ...matched].sort());
      }
      const phones = statements.filter((statement) => statement.table === 'phones');
      expect(phones.map((statement) => statement.columns)).toEqual([['id', 'number', 'user_id']]);
      const posts = statements.filter((statement) => statement.table === 'posts');
      expect(posts.map((statement) => statement.columns)).toEqual([['author_id', 'id', 'title']]);
      const roles = statements.filter((statement) => statement.table === 'roles');
      expect(roles.map((statement) => statement.columns)).toEqual([['id', 'name']]);
    });
  });

  it('answers fields selected through named and inline fragments and @include/@skip', async () => {
    const query = `query ($yes: Boolean!, $no: Boolean!) {
      users(first: 10) { nodes { ...Who ... on User { phone { ...Dial } } ... @include(if: $yes) { createdAt } } }
      again: users(first: 10) { nodes { id email @include(if: $no) roleId @skip(if: $no) ...Where } }
    }
    fragment Who on User { id name ... { email } }
    fragment Dial on Phone { number userId }
    fragment Where on User { address { ... on Address { street city } } }`;
    const answer = await data(query, { yes: true, no: false });
    const users = must(stored.User, 'users').slice(0, 10);
    expect(answer.users.nodes).toEqual(
      users.map((user) => {
        const phone = where('Phone', 'userId', user.id)[0];
        return {
          ...pick(user, 'id', 'name', 'email'),
          phone: phone ? pick(phone, 'number', 'userId') : null,
          createdAt: user.createdAt,
        };
      }),
    );
    expect(answer.again.nodes).toEqual(
      users.map((user) => ({
        id: user.id,
        roleId: user.roleId,
        address: user.addressId ? pick(byId('Address', user.addressId), 'street', 'city') : null,
      })),
    );
    expect(users.some((user) => user.addressId === null)).toBe(true);
    expect(answer.users.nodes.some((user: Row) => user.phone === null)).toBe(true);
  });

  describe('cursors', () => {
    it('pages a root list ordered by name with edges.cursor: each page continues exactly after the last', async () => {
      const expected = await idsInOrder(sql`select id from users order by name asc, id asc`);
      expect(expected).not.toEqual([...expected].sort((a, b) => Number(a) - Number(b)));
      const query = `query ($after: String) {
        users(first: 7, after: $after, orderBy: [{ name: ASC }]) { edges { cursor node { id } } }
      }`;
      const seen: string[] = [];
      let after: string | undefined;
      for (let page = 0; page < 6 && seen.length < expected.length; page++) {
        const edges = (await data(query, { after })).users.edges as Array<{
          cursor: string;
          node: { id: string };
        }>;
        expect(edges.map((edge) => edge.node.id)).toEqual(expected.slice(seen.length, seen.length + 7));
        seen.push(...edges.map((edge) => edge.node.id));
        after = edges.at(-1)?.cursor;
      }
      expect(seen).toEqual(expected);
    });

    it('pages a root list with pageInfo.endCursor when nodes select no field but the key', async () => {
      const expected = await idsInOrder(sql`select id from users order by email desc, id asc`);
      const query = `query ($after: String) {
        users(first: 11, after: $after, orderBy: [{ email: DESC }]) {
          nodes { __typename } pageInfo { endCursor hasNextPage }
        }
      }`;
      const first = (await data(query)).users;
      expect(first.nodes).toHaveLength(11);
      expect(first.pageInfo.hasNextPage).toBe(true);
      const second = (
        await data(
          `query ($after: String) {
          users(first: 11, after: $after, orderBy: [{ email: DESC }]) { nodes { id } pageInfo { hasNextPage } }
        }`,
          { after: first.pageInfo.endCursor },
        )
      ).users;
      expect(second.nodes.map((node: { id: string }) => node.id)).toEqual(expected.slice(11, 22));
      expect(second.pageInfo.hasNextPage).toBe(true);
    });

    it('pages backwards with last/before from a startCursor', async () => {
      const expected = await idsInOrder(sql`select id from users order by name desc, id asc`);
      const middle = (
        await data(`{ users(first: 5, after: null, orderBy: [{ name: DESC }]) { pageInfo { endCursor } } }`)
      ).users.pageInfo.endCursor;
      const next = (
        await data(
          `query ($after: String) { users(first: 5, after: $after, orderBy: [{ name: DESC }]) {
            edges { node { name } } pageInfo { startCursor }
          } }`,
          { after: middle },
        )
      ).users;
      expect(next.edges.map((edge: { node: { name: string } }) => edge.node.name)).toEqual(
        expected.slice(5, 10).map((id) => byId('User', id).name),
      );
      const back = (
        await data(
          `query ($before: String) { users(last: 3, before: $before, orderBy: [{ name: DESC }]) { nodes { id } } }`,
          { before: next.pageInfo.startCursor },
        )
      ).users;
      expect(back.nodes.map((node: { id: string }) => node.id)).toEqual(expected.slice(2, 5));
    });

    it('pages a root list ordered by a nullable field through its null values', async () => {
      const expected = await idsInOrder(
        sql`select id from posts order by published_at desc nulls first, id asc`,
      );
      const query = `query ($after: String) {
        posts(first: 20, after: $after, orderBy: [{ publishedAt: DESC }]) {
          edges { cursor node { id } } pageInfo { hasNextPage }
        }
      }`;
      const seen: string[] = [];
      let after: string | undefined;
      for (let page = 0; page < 6; page++) {
        const { edges, pageInfo } = (await data(query, { after })).posts;
        seen.push(...edges.map((edge: { node: { id: string } }) => edge.node.id));
        after = edges.at(-1)?.cursor;
        if (!pageInfo.hasNextPage) break;
      }
      expect(seen).toEqual(expected);
    });

    it('pages a root list ordered by a field of a linked row, run by the executor for input variables', async () => {
      const expected = await idsInOrder(
        sql`select p.id from posts p order by (select u.name from users u where u.id = p.author_id) asc nulls last, p.id asc`,
      );
      expect(expected).not.toEqual([...expected].sort((a, b) => Number(a) - Number(b)));
      // An input-object variable: graphql-jit does not compile it (server/use-compiled-execution.ts).
      const query = `query ($after: String, $order: [PostOrderBy!]) {
        posts(first: 13, after: $after, orderBy: $order) { edges { cursor node { id } } pageInfo { hasNextPage } }
      }`;
      const seen: string[] = [];
      let after: string | undefined;
      for (let page = 0; page < 8; page++) {
        const { edges, pageInfo } = (await data(query, { after, order: [{ author: { name: 'ASC' } }] }))
          .posts;
        seen.push(...edges.map((edge: { node: { id: string } }) => edge.node.id));
        after = edges.at(-1)?.cursor;
        if (!pageInfo.hasNextPage) break;
      }
      expect(seen).toEqual(expected);
    });

    it('pages a hasMany list: page 1 with edges.cursor and pageInfo.endCursor, then after them', async () => {
      const ordered = await sqlRows(
        api.server,
        sql`select id, author_id from posts order by title desc, id asc`,
      );
      const postsOf = (user: string) =>
        ordered.filter((row) => String(row.author_id) === user).map((row) => String(row.id));
      const first = (
        await data(`{ users(first: 6) { nodes { id posts(first: 2, orderBy: [{ title: DESC }]) {
          edges { cursor node { id } } pageInfo { endCursor hasNextPage }
        } } } }`)
      ).users.nodes as Array<{
        id: string;
        posts: {
          edges: Array<{ cursor: string; node: { id: string } }>;
          pageInfo: { endCursor: string; hasNextPage: boolean };
        };
      }>;
      expect(first).toHaveLength(6);
      for (const user of first) {
        expect(user.posts.edges.map((edge) => edge.node.id)).toEqual(postsOf(user.id).slice(0, 2));
        expect(user.posts.pageInfo.hasNextPage).toBe(true);
      }
      // After each user's endCursor, and after the first edge's cursor, in one query.
      const pages = first
        .map(
          (user, i) => `
          end${i}: user(id: ${user.id}) { posts(first: 2, after: "${user.posts.pageInfo.endCursor}", orderBy: [{ title: DESC }]) {
            nodes { id } pageInfo { hasNextPage }
          } }
          one${i}: user(id: ${user.id}) { posts(first: 5, after: "${user.posts.edges[0]?.cursor}", orderBy: [{ title: DESC }]) {
            nodes { id }
          } }`,
        )
        .join('\n');
      const next = await data(`{ ${pages} }`);
      for (const [i, user] of first.entries()) {
        expect(next[`end${i}`].posts).toEqual({
          nodes: postsOf(user.id)
            .slice(2)
            .map((id) => ({ id })),
          pageInfo: { hasNextPage: false },
        });
        expect(next[`one${i}`].posts.nodes.map((node: { id: string }) => node.id)).toEqual(
          postsOf(user.id).slice(1),
        );
      }
    });

    it('pages a hasMany list ordered by a nullable field, through a null value, with only cursors selected', async () => {
      const ordered = await sqlRows(
        api.server,
        sql`select id, author_id from posts order by published_at asc nulls last, id asc`,
      );
      const postsOf = (user: string) =>
        ordered.filter((row) => String(row.author_id) === user).map((row) => String(row.id));
      const first = (
        await data(
          `{ users(first: 4) { nodes { id posts(first: 3, orderBy: [{ publishedAt: ASC }]) { edges { cursor } } } } }`,
        )
      ).users.nodes as Array<{ id: string; posts: { edges: Array<{ cursor: string }> } }>;
      const pages = first
        .map((user, i) =>
          [0, 1, 2]
            .map(
              (edge) => `u${i}e${edge}: user(id: ${user.id}) {
                posts(first: 5, after: "${user.posts.edges[edge]?.cursor}", orderBy: [{ publishedAt: ASC }]) { nodes { id } }
              }`,
            )
            .join('\n'),
        )
        .join('\n');
      const next = await data(`{ ${pages} }`);
      for (const [i, user] of first.entries()) {
        expect(user.posts.edges).toHaveLength(3);
        for (const edge of [0, 1, 2])
          expect(next[`u${i}e${edge}`].posts.nodes.map((node: { id: string }) => node.id)).toEqual(
            postsOf(user.id).slice(edge + 1),
          );
      }
    });

    it('selects the order values only when a cursor is asked for', async () => {
      const without = await traced(
        '{ users(first: 3, orderBy: [{ name: ASC }]) { nodes { name } pageInfo { hasNextPage } } }',
      );
      expect(without.statements.map((statement) => statement.columns)).toEqual([['id', 'name']]);
      const withCursor = await traced(
        '{ users(first: 3, orderBy: [{ name: ASC }]) { edges { cursor node { name } } } }',
      );
      expect(withCursor.statements.map((statement) => statement.columns)).toEqual([
        ['__o0', '__o1', 'id', 'name'],
      ]);
      const children = await traced(
        '{ users(first: 3) { nodes { posts(first: 1, orderBy: [{ title: ASC }]) { pageInfo { endCursor } } } } }',
      );
      expect(children.statements.map((statement) => [statement.table, statement.columns])).toEqual([
        ['users', ['id']],
        ['posts', ['__o0', '__o1', 'author_id', 'id']],
      ]);
    });
  });

  describe('a model selected only by __typename or only for a relation', () => {
    it('resolves the relation of rows whose statement selected only keys', async () => {
      const { data: answer, statements } = await traced(`{
        phones(first: 10) { nodes { __typename user { name } } }
        posts(first: 6) { nodes { author { __typename posts(first: 1) { totalCount } } } }
        users(first: 4) { nodes { profile { user { email } } } }
      }`);
      expect(answer.phones.nodes).toEqual(
        must(stored.Phone, 'phones')
          .slice(0, 10)
          .map((phone) => ({ __typename: 'Phone', user: { name: byId('User', phone.userId).name } })),
      );
      expect(answer.posts.nodes).toEqual(
        must(stored.Post, 'posts')
          .slice(0, 6)
          .map(() => ({ author: { __typename: 'User', posts: { totalCount: 3 } } })),
      );
      expect(answer.users.nodes).toEqual(
        must(stored.User, 'users')
          .slice(0, 4)
          .map((user) => ({ profile: { user: { email: user.email } } })),
      );
      const columnsOf = (table: string) =>
        statements.filter((statement) => statement.table === table).map((statement) => statement.columns);
      expect(columnsOf('phones')).toEqual([['id', 'user_id']]);
      expect(columnsOf('posts')).toEqual([['author_id', 'id']]);
      expect(columnsOf('profiles')).toEqual([['id', 'owner_id']]);
    });

    it('answers a model selected by __typename only, from a statement of its primary key', async () => {
      const { data: answer, statements } = await traced(
        '{ users(first: 4) { nodes { __typename } } user(id: 2) { __typename } missing: user(id: 9999) { __typename } }',
      );
      expect(answer).toEqual({
        users: { nodes: Array.from({ length: 4 }, () => ({ __typename: 'User' })) },
        user: { __typename: 'User' },
        missing: null,
      });
      expect(statements.every((statement) => statement.columns.join() === 'id')).toBe(true);
      expect(statements.length).toBeGreaterThan(0);
    });
  });

  it('answers each operation of a batch with its own fields of the same model', async () => {
    const multi =
      'query A { users(first: 4) { nodes { name } } } query B { users(first: 4) { nodes { email } } }';
    const { status, body } = await post([
      { query: '{ phones(first: 20) { nodes { id user { name } } } }' },
      { query: '{ phones(first: 20) { nodes { id user { email createdAt } } } }' },
      { query: multi, operationName: 'B' },
      { query: multi, operationName: 'A' },
    ]);
    expect(status).toBe(200);
    const answers = body as GraphQLResponse[];
    expect(answers.map((answer) => answer.errors)).toEqual([undefined, undefined, undefined, undefined]);
    const phones = must(stored.Phone, 'phones').slice(0, 20);
    expect(answers[0]?.data).toEqual({
      phones: {
        nodes: phones.map((phone) => ({ id: phone.id, user: pick(byId('User', phone.userId), 'name') })),
      },
    });
    expect(answers[1]?.data).toEqual({
      phones: {
        nodes: phones.map((phone) => ({
          id: phone.id,
          user: pick(byId('User', phone.userId), 'email', 'createdAt'),
        })),
      },
    });
    const users = must(stored.User, 'users').slice(0, 4);
    expect(answers[2]?.data).toEqual({ users: { nodes: users.map((user) => pick(user, 'email')) } });
    expect(answers[3]?.data).toEqual({ users: { nodes: users.map((user) => pick(user, 'name')) } });
  });

  describe('access rules', () => {
    const narrow = `{
      users(first: 8) { nodes { id name profile { bio website } posts { nodes { title } } } }
      profiles(first: 8) { nodes { ownerId website } }
    }`;
    /** The same query with every field of every model it reads. */
    const wide = `{
      users(first: 8) { nodes { id name email createdAt roleId addressId
        profile { id bio website ownerId } posts { nodes { id title body status publishedAt authorId } } } }
      profiles(first: 8) { nodes { id bio ownerId website } }
    }`;

    function project(answer: Data) {
      return {
        users: {
          nodes: answer.users.nodes.map((user: Data) => ({
            id: user.id,
            name: user.name,
            profile: user.profile && pick(user.profile, 'bio', 'website'),
            posts: { nodes: user.posts.nodes.map((post: Row) => pick(post, 'title')) },
          })),
        },
        profiles: { nodes: answer.profiles.nodes.map((profile: Row) => pick(profile, 'ownerId', 'website')) },
      };
    }

    it.each(['anonymous', 'member', 'admin'] as const)(
      'as %s, hides what the rules hide and answers the rest as a query of every field does',
      async (viewer) => {
        const answer = await data(narrow, undefined, viewer);
        expect(answer).toEqual(project(await data(wide, undefined, viewer)));
        const users = must(stored.User, 'users').slice(0, 8);
        const seesDraftsOf = (user: string) => viewer === 'admin' || (viewer === 'member' && user === '2');
        expect(answer.users.nodes).toEqual(
          users.map((user) => {
            const profile = must(where('Profile', 'ownerId', user.id)[0], 'profile');
            const posts = where('Post', 'authorId', user.id).filter(
              (post) => post.status === 'published' || seesDraftsOf(String(user.id)),
            );
            return {
              id: user.id,
              name: user.name,
              profile: { bio: profile.bio, website: viewer === 'anonymous' ? null : profile.website },
              posts: { nodes: posts.map((post) => pick(post, 'title')) },
            };
          }),
        );
        const websites = answer.profiles.nodes.map((profile: Row) => profile.website);
        if (viewer === 'anonymous') expect(websites).toEqual(Array(8).fill(null));
        else
          expect(websites).toEqual(
            must(stored.Profile, 'profiles')
              .slice(0, 8)
              .map((profile) => profile.website),
          );
        expect(websites.some((website: unknown) => website !== null)).toBe(viewer !== 'anonymous');
      },
    );

    describe('a hidden non-null field (the access fixture)', () => {
      let ruled: AccessServer;
      beforeAll(async () => {
        ruled = await startAccessServer(driver);
      });
      afterAll(() => ruled?.api.close());

      it('is FORBIDDEN where the rule hides it, and the value where it does not', async () => {
        const query = '{ users { nodes { name } } user(id: 2) { name pin } }';
        const owner = await ruled.as('2', query);
        expect(owner.errors).toBeUndefined();
        expect(owner.data).toEqual({
          users: { nodes: [{ name: 'Ann' }, { name: 'Ben' }, { name: 'Cat' }] },
          user: { name: 'Ben', pin: '2222' },
        });
        for (const viewer of ['1', null]) {
          const answer = await ruled.as(viewer, query);
          expect(answer.data).toEqual({
            users: { nodes: [{ name: 'Ann' }, { name: 'Ben' }, { name: 'Cat' }] },
            user: null,
          });
          expect(answer.errors).toHaveLength(1);
          expect(answer.errors?.[0]).toMatchObject({
            path: ['user', 'pin'],
            extensions: { code: 'FORBIDDEN', model: 'User', field: 'pin' },
          });
        }
      });

      it('reads a hidden field selected alone, and hidden nullable fields as null, on every path', async () => {
        expect((await ruled.as('1', '{ user(id: 1) { pin } }')).data).toEqual({ user: { pin: '1111' } });
        const answer = await ruled.as(
          '2',
          `{
          users { nodes { email joinedAt } }
          phones { nodes { user { name email } } }
        }`,
        );
        expect(answer.errors).toBeUndefined();
        expect(answer.data).toEqual({
          users: {
            nodes: [
              { email: null, joinedAt: null },
              { email: 'ben@example.com', joinedAt: '2024-02-01T00:00:00.000Z' },
              { email: null, joinedAt: null },
            ],
          },
          phones: {
            nodes: [
              { user: { name: 'Ann', email: null } },
              { user: { name: 'Ben', email: 'ben@example.com' } },
            ],
          },
        });
      });
    });
  });

  describe('statements', () => {
    it('stays one statement per level, whatever the fields selected', async () => {
      const few = `{ users(first: 10) { nodes { name phone { number } profile { bio } address { city } role { name }
        posts(first: 3) { totalCount nodes { title author { email } } } } } }`;
      const many = `{ users(first: 10) { nodes { id name email createdAt roleId addressId
        phone { id number userId } profile { id bio website ownerId } address { id street city } role { id name }
        posts(first: 3) { totalCount edges { cursor node { id title body status publishedAt authorId author { id email } } } } } } }`;
      // users, phones, profiles, addresses, roles, post pages, post totals; authors are users already read.
      expect(await api.statementsOf(few)).toBe(7);
      expect(await api.statementsOf(many)).toBe(7);
      expect(
        await api.statementsOf(
          '{ users(first: 10) { nodes { __typename phone { __typename } posts { nodes { __typename } } } } }',
        ),
      ).toBe(3);
    });

    it('reads every user of phones in one statement however the users were selected', async () => {
      const { statements } = await traced(
        '{ phones(first: 30) { nodes { user { name } } } user(id: 1) { email } }',
      );
      const users = statements.filter((statement) => statement.table === 'users');
      expect(users.length).toBeLessThanOrEqual(2);
      for (const statement of users) expect(statement.columns).toEqual(['email', 'id', 'name']);
      expect(statements).toHaveLength(users.length + 1);
    });
  });

  // Last: it adds a user the tests above do not expect.
  it('answers a mutation with nested relations in every field, as a query of the same selection does', async () => {
    const email = `selected.${driver}@example.com`;
    const input = {
      name: 'Sel Ected',
      email,
      createdAt: '2026-03-01T10:00:00.000Z',
      role: { connect: { name: 'editor' } },
      phone: { create: { number: '+44 1' } },
      profile: { create: { bio: 'Selected bio.', website: 'https://example.com/selected' } },
      address: { create: { street: '1 Column Row', city: 'Oslo' } },
      posts: {
        create: [
          { title: 'B post', body: 'Body B', status: 'published', publishedAt: '2026-03-02T00:00:00.000Z' },
          { title: 'A post', body: 'Body A', status: 'draft' },
        ],
      },
    };
    const selection = `id name email createdAt roleId addressId
      role { id name }
      phone { id number userId user { id name email } }
      profile { id bio website ownerId user { createdAt } }
      address { id street city user { id name } }
      posts(orderBy: [{ title: ASC }]) {
        totalCount
        edges { cursor node { id title body status publishedAt authorId author { email } } }
        pageInfo { endCursor hasNextPage }
      }`;
    const created = (
      await data(`mutation ($input: CreateUserInput!) { createUser(input: $input) { ${selection} } }`, {
        input,
      })
    ).createUser;
    await loadStored();
    const user = must(
      stored.User?.find((row) => row.email === email),
      'the new user',
    );
    const phone = must(where('Phone', 'userId', user.id)[0], 'phone');
    const profile = must(where('Profile', 'ownerId', user.id)[0], 'profile');
    const address = byId('Address', user.addressId);
    const posts = where('Post', 'authorId', user.id).sort((a, b) =>
      String(a.title).localeCompare(String(b.title)),
    );
    expect(posts.map((post) => post.title)).toEqual(['A post', 'B post']);
    const { edges, pageInfo, ...page } = created.posts;
    expect({ ...created, posts: page }).toEqual({
      ...pick(user, 'id', 'name', 'email', 'createdAt', 'roleId', 'addressId'),
      role: pick(byId('Role', user.roleId), 'id', 'name'),
      phone: { ...pick(phone, 'id', 'number', 'userId'), user: pick(user, 'id', 'name', 'email') },
      profile: { ...pick(profile, 'id', 'bio', 'website', 'ownerId'), user: pick(user, 'createdAt') },
      address: { ...pick(address, 'id', 'street', 'city'), user: pick(user, 'id', 'name') },
      posts: { totalCount: 2 },
    });
    expect(created.role.name).toBe('editor');
    expect(edges.map((edge: { node: Row }) => edge.node)).toEqual(
      posts.map((post) => ({
        ...pick(post, 'id', 'title', 'body', 'status', 'publishedAt', 'authorId'),
        author: { email },
      })),
    );
    expect(pageInfo).toEqual({ endCursor: edges[1].cursor, hasNextPage: false });
    // The same selection through a query (its own columns) answers the same, cursors included.
    const queried = (await data(`{ user(id: ${user.id}) { ${selection} } }`)).user;
    expect(queried).toEqual(created);
    const after = (
      await data(
        `query ($after: String) { user(id: ${user.id}) { posts(after: $after, orderBy: [{ title: ASC }]) { nodes { title } } } }`,
        { after: edges[0].cursor },
      )
    ).user;
    expect(after).toEqual({ posts: { nodes: [{ title: 'B post' }] } });
  });
});
