/**
 * Keyset pagination over 1,000 rows with many ties: every ordering is walked to the end forward
 * (`first`/`after`) and backward (`last`/`before`), and must give each row exactly once, in order.
 */

import { count, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { belongsTo, field, hasMany, type Model, model } from '../index.ts';
import type { RelgraphServer } from '../server/create-server.ts';
import { drivers } from './support/databases.ts';
import { must } from './support/must.ts';
import { type GraphQLResponse, startTestServer, type TestServer } from './support/test-server.ts';

const Bucket = model('Bucket', {
  fields: { id: field.id(), name: field.string({ optional: true }) },
  relations: { entries: hasMany((): Model => Entry) },
});
const Entry = model('Entry', {
  fields: {
    id: field.id(),
    score: field.int(),
    label: field.string({ optional: true }),
    weight: field.float(),
    at: field.datetime(),
  },
  relations: { bucket: belongsTo((): Model => Bucket, { optional: true }) },
});

const ROWS = 1000;
const PAGE = 97;
const MAX_PAGE = 120;
/** Bucket k: names repeat and some are null, so a relation key has ties and nulls too. */
const bucketName = (k: number) => (k % 4 === 3 ? null : `b${k % 3}`);

/** Entry i (id i + 1): score 0..6, label l0..l4 or null (every 3rd), weight i%9/7, `at` with µs ties. */
const ENTRIES = Array.from({ length: ROWS }, (_, i) => ({
  id: i + 1,
  score: i % 7,
  label: i % 3 === 0 ? null : `l${i % 5}`,
  weight: (i % 9) / 7,
  seconds: i % 13,
  micros: i % 4,
  bucket: i % 11 === 10 ? null : i % 11,
}));
type Expected = (typeof ENTRIES)[number];

async function seed(server: RelgraphServer) {
  const db = server.connection.database();
  const table = (name: string) => must(server.tables.byModel.get(name), `table ${name}`).table;
  const buckets = Array.from({ length: 10 }, (_, k) => ({ id: k + 1, name: bucketName(k) }));
  await db.insert(table('Bucket')).values(buckets);
  await db.insert(table('Entry')).values(
    ENTRIES.map((entry) => ({
      id: entry.id,
      score: entry.score,
      label: entry.label,
      weight: entry.weight,
      at: sql`timestamptz '2024-01-01 00:00:00+00' + ${entry.seconds}::int * interval '1 second' + ${entry.micros}::int * interval '1 microsecond'`,
      bucketId: entry.bucket === null ? null : entry.bucket + 1,
    })),
  );
}

type Direction =
  | 'ASC'
  | 'DESC'
  | 'ASC_NULLS_FIRST'
  | 'ASC_NULLS_LAST'
  | 'DESC_NULLS_FIRST'
  | 'DESC_NULLS_LAST';
type Value = string | number | null;
interface SortKey {
  readonly value: (entry: Expected) => Value;
  readonly direction: Direction;
}

const score = (entry: Expected) => entry.score;
const label = (entry: Expected) => entry.label;
const weight = (entry: Expected) => entry.weight;
const at = (entry: Expected) => entry.seconds * 1_000_000 + entry.micros;
const bucket = (entry: Expected) => (entry.bucket === null ? null : bucketName(entry.bucket));
const id = (entry: Expected) => entry.id;

/** PostgreSQL's placement: ASC puts nulls last and DESC first unless the direction names it. */
function compareBy(keys: readonly SortKey[]) {
  return (a: Expected, b: Expected): number => {
    for (const { value, direction } of keys) {
      const [x, y] = [value(a), value(b)];
      if (x === y) continue;
      const nullsFirst = direction.endsWith('NULLS_FIRST') || direction === 'DESC';
      if (x === null) return nullsFirst ? -1 : 1;
      if (y === null) return nullsFirst ? 1 : -1;
      return (x < y ? -1 : 1) * (direction.startsWith('DESC') ? -1 : 1);
    }
    return 0;
  };
}

/** The ids in the order `keys` sort them, the primary key ascending as the final tie-breaker. */
const expectedOrder = (keys: readonly SortKey[], rows: readonly Expected[] = ENTRIES) =>
  [...rows].sort(compareBy([...keys, { value: id, direction: 'ASC' }])).map((entry) => entry.id);

const DIRECTIONS: Direction[] = [
  'ASC',
  'DESC',
  'ASC_NULLS_FIRST',
  'ASC_NULLS_LAST',
  'DESC_NULLS_FIRST',
  'DESC_NULLS_LAST',
];
const ORDERINGS: Array<[name: string, orderBy: unknown[], keys: SortKey[]]> = [
  ['score ASC (7 values, ~143 ties each)', [{ score: 'ASC' }], [{ value: score, direction: 'ASC' }]],
  ['score DESC', [{ score: 'DESC' }], [{ value: score, direction: 'DESC' }]],
  [
    'score DESC, weight ASC (two keys)',
    [{ score: 'DESC' }, { weight: 'ASC' }],
    [
      { value: score, direction: 'DESC' },
      { value: weight, direction: 'ASC' },
    ],
  ],
  ...DIRECTIONS.map((direction): [string, unknown[], SortKey[]] => [
    `nullable label ${direction}`,
    [{ label: direction }],
    [{ value: label, direction }],
  ]),
  [
    'label DESC_NULLS_LAST, score ASC_NULLS_FIRST',
    [{ label: 'DESC_NULLS_LAST' }, { score: 'ASC_NULLS_FIRST' }],
    [
      { value: label, direction: 'DESC_NULLS_LAST' },
      { value: score, direction: 'ASC_NULLS_FIRST' },
    ],
  ],
  [
    'weight ASC (floats such as 1/7 survive the cursor)',
    [{ weight: 'ASC' }],
    [{ value: weight, direction: 'ASC' }],
  ],
  ['at DESC (DateTime ties one microsecond apart)', [{ at: 'DESC' }], [{ value: at, direction: 'DESC' }]],
  [
    'a to-one relation field: bucket.name ASC, then score DESC',
    [{ bucket: { name: 'ASC' } }, { score: 'DESC' }],
    [
      { value: bucket, direction: 'ASC' },
      { value: score, direction: 'DESC' },
    ],
  ],
  [
    'a to-one relation field: bucket.name DESC_NULLS_LAST',
    [{ bucket: { name: 'DESC_NULLS_LAST' } }],
    [{ value: bucket, direction: 'DESC_NULLS_LAST' }],
  ],
  ['id DESC (the primary key as the only key)', [{ id: 'DESC' }], [{ value: id, direction: 'DESC' }]],
  [
    'score ASC, id DESC (the primary key last, descending)',
    [{ score: 'ASC' }, { id: 'DESC' }],
    [
      { value: score, direction: 'ASC' },
      { value: id, direction: 'DESC' },
    ],
  ],
];

interface Connection {
  edges: Array<{ cursor: string; node: { id: string } }>;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  totalCount?: number;
}

const LIST = `query ($where: EntryWhere, $orderBy: [EntryOrderBy!], $first: Int, $after: String, $last: Int, $before: String) {
  entries(where: $where, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

/** The same arguments on a `hasMany` field: the entries of one bucket. */
const BUCKET_LIST = `query ($id: ID!, $where: EntryWhere, $orderBy: [EntryOrderBy!], $first: Int, $after: String, $last: Int, $before: String) {
  bucket(id: $id) {
    entries(where: $where, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { id } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}`;
/** Buckets whose entries are walked: named ones and one whose name is null (k = 3). */
const WALKED_BUCKETS = [1, 4, 9];
const CHILD_PAGE = 17;

interface Walk {
  readonly ids: number[];
  /** hasNextPage (forward) or hasPreviousPage (backward) of each page. */
  readonly more: boolean[];
}

describe.each(drivers)('list pagination on %s', (driver) => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(driver, [Bucket, Entry], { seed, maxPageSize: MAX_PAGE });
  });
  afterAll(() => api?.close());

  async function page(variables: Record<string, unknown>, query = LIST): Promise<Connection> {
    const result = await api.query(query, variables);
    expect(result.errors).toBeUndefined();
    return result.data?.entries as Connection;
  }
  /** A page of one bucket's entries, through the `hasMany` field; one statement for the page. */
  async function childPage(variables: Record<string, unknown>): Promise<Connection> {
    const result = await api.query(BUCKET_LIST, variables);
    expect(result.errors).toBeUndefined();
    expect(result.extensions?.sql?.statements).toBe(2);
    return (result.data as { bucket: { entries: Connection } }).bucket.entries;
  }
  const idsOf = (connection: Connection) => connection.edges.map((edge) => Number(edge.node.id));

  /** Checks what every page must satisfy: the cursors of pageInfo are those of its first and last edge. */
  function expectCursorsMatchEdges(connection: Connection) {
    expect(connection.pageInfo.startCursor).toBe(connection.edges[0]?.cursor ?? null);
    expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null);
  }

  /** Reads one page of a list (the root list by default) with these variables. */
  type Read = (variables: Record<string, unknown>) => Promise<Connection>;

  async function walkForward(
    orderBy: unknown,
    where?: unknown,
    read: Read = page,
    size = PAGE,
  ): Promise<Walk> {
    const walk: Walk = { ids: [], more: [] };
    let after: string | null = null;
    for (let guard = 0; guard < 2 * ROWS; guard += 1) {
      const connection = await read({ orderBy, where, first: size, after });
      expectCursorsMatchEdges(connection);
      expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
      walk.ids.push(...idsOf(connection));
      walk.more.push(connection.pageInfo.hasNextPage);
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    return walk;
  }

  async function walkBackward(
    orderBy: unknown,
    where?: unknown,
    read: Read = page,
    size = PAGE,
  ): Promise<Walk> {
    const walk: Walk = { ids: [], more: [] };
    let before: string | null = null;
    for (let guard = 0; guard < 2 * ROWS; guard += 1) {
      const connection = await read({ orderBy, where, last: size, before });
      expectCursorsMatchEdges(connection);
      expect(connection.pageInfo.hasNextPage).toBe(before !== null);
      walk.ids.unshift(...idsOf(connection));
      walk.more.push(connection.pageInfo.hasPreviousPage);
      if (!connection.pageInfo.hasPreviousPage) break;
      before = connection.pageInfo.startCursor;
    }
    return walk;
  }

  /** `true` on every page but the last: ceil(rows / size) pages. */
  function morePages(rows: number, size = PAGE): boolean[] {
    const pages = Math.max(1, Math.ceil(rows / size));
    return Array.from({ length: pages }, (_, i) => i < pages - 1);
  }

  describe.each(ORDERINGS)('ordered by %s', (_, orderBy, keys) => {
    const expected = expectedOrder(keys);

    it('walks forward through all 1,000 rows, each exactly once and in order', async () => {
      const walk = await walkForward(orderBy);
      expect(new Set(walk.ids).size).toBe(walk.ids.length);
      expect(walk.ids).toEqual(expected);
      expect(walk.more).toEqual(morePages(ROWS));
    });

    it('walks backward through all 1,000 rows, each exactly once and in order', async () => {
      const walk = await walkBackward(orderBy);
      expect(new Set(walk.ids).size).toBe(walk.ids.length);
      expect(walk.ids).toEqual(expected);
      expect(walk.more).toEqual(morePages(ROWS));
    });

    it.each(WALKED_BUCKETS)(
      'walks the entries of bucket %i (a hasMany) forward and backward, each once and in order',
      async (bucketId) => {
        const rows = ENTRIES.filter((entry) => entry.bucket === bucketId - 1);
        const expectedOfBucket = expectedOrder(keys, rows);
        const read: Read = (variables) => childPage({ ...variables, id: bucketId });
        const forward = await walkForward(orderBy, undefined, read, CHILD_PAGE);
        const backward = await walkBackward(orderBy, undefined, read, CHILD_PAGE);
        expect(forward.ids).toEqual(expectedOfBucket);
        expect(backward.ids).toEqual(expectedOfBucket);
        expect(forward.more).toEqual(morePages(rows.length, CHILD_PAGE));
        expect(backward.more).toEqual(morePages(rows.length, CHILD_PAGE));
      },
    );
  });

  describe('with a filter', () => {
    const where = { score: { in: [1, 2, 3] }, label: { isNull: false } };
    const orderBy = [{ label: 'DESC' }, { weight: 'DESC' }];
    const rows = ENTRIES.filter((entry) => [1, 2, 3].includes(entry.score) && entry.label !== null);
    const expected = expectedOrder(
      [
        { value: label, direction: 'DESC' },
        { value: weight, direction: 'DESC' },
      ],
      rows,
    );

    it('walks forward and backward through exactly the matching rows', async () => {
      expect(rows.length).toBeGreaterThan(PAGE * 2);
      const forward = await walkForward(orderBy, where);
      const backward = await walkBackward(orderBy, where);
      expect(forward.ids).toEqual(expected);
      expect(backward.ids).toEqual(expected);
      expect(forward.more).toEqual(morePages(rows.length));
    });

    it('counts every matching row in totalCount on every page, whatever the cursor', async () => {
      const query = LIST.replace('pageInfo {', 'totalCount pageInfo {');
      const first = await page({ where, orderBy, first: 10 }, query);
      const middle = await page({ where, orderBy, first: 10, after: first.pageInfo.endCursor }, query);
      const last = await page({ where, orderBy, last: 10, before: middle.pageInfo.startCursor }, query);
      expect([first.totalCount, middle.totalCount, last.totalCount]).toEqual(Array(3).fill(rows.length));
      expect(idsOf(last)).toEqual(expected.slice(0, 10));
    });
  });

  describe('changing direction and windows', () => {
    const orderBy = [{ label: 'ASC_NULLS_FIRST' }, { score: 'DESC' }];
    const expected = expectedOrder([
      { value: label, direction: 'ASC_NULLS_FIRST' },
      { value: score, direction: 'DESC' },
    ]);

    it('goes back from the middle of a forward walk to exactly the rows before it', async () => {
      const one = await page({ orderBy, first: 100 });
      const two = await page({ orderBy, first: 100, after: one.pageInfo.endCursor });
      expect(idsOf(two)).toEqual(expected.slice(100, 200));
      const back = await page({ orderBy, last: 30, before: two.pageInfo.startCursor });
      expect(idsOf(back)).toEqual(expected.slice(70, 100));
      expect(back.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
      const forwardFromEdge = await page({ orderBy, first: 5, after: two.edges[49]?.cursor });
      expect(idsOf(forwardFromEdge)).toEqual(expected.slice(150, 155));
    });

    it('gives the rows between after and before', async () => {
      const all = await page({ orderBy, first: 100 });
      const between = await page({
        orderBy,
        first: 100,
        after: all.edges[9]?.cursor,
        before: all.edges[20]?.cursor,
      });
      expect(idsOf(between)).toEqual(expected.slice(10, 20));
      const fromEnd = await page({
        orderBy,
        last: 3,
        after: all.edges[9]?.cursor,
        before: all.edges[20]?.cursor,
      });
      expect(idsOf(fromEnd)).toEqual(expected.slice(17, 20));
    });
  });

  describe('page size', () => {
    it('gives maxPageSize rows when neither first nor last is given', async () => {
      const connection = await page({});
      expect(idsOf(connection)).toEqual(ENTRIES.slice(0, MAX_PAGE).map((entry) => entry.id));
      expect(connection.pageInfo.hasNextPage).toBe(true);
    });

    it('accepts last: maxPageSize from the end of the list', async () => {
      const connection = await page({ last: MAX_PAGE });
      expect(idsOf(connection)).toEqual(ENTRIES.slice(-MAX_PAGE).map((entry) => entry.id));
      expect(connection.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    });

    it.each([
      ['first past maxPageSize', { first: MAX_PAGE + 1 }, /"first" must be between 0 and 120/],
      ['last past maxPageSize', { last: MAX_PAGE + 1 }, /"last" must be between 0 and 120/],
      ['a negative last', { last: -1 }, /"last"/],
      ['first and last together', { first: 5, last: 5 }, /"first" or "last", not both/],
    ])('refuses %s with BAD_USER_INPUT before any statement', async (_, variables, message) => {
      const result = await api.query(LIST, variables);
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors?.[0]?.message).toMatch(message);
      expect(result.extensions?.sql?.statements).toBe(0);
    });
  });

  describe('orderBy items', () => {
    it.each([
      ['two fields in one item', [{ score: 'ASC', label: 'DESC' }]],
      ['an empty item', [{}]],
      ['an empty relation item', [{ bucket: {} }]],
    ])('refuses %s with BAD_USER_INPUT naming the item', async (_, orderBy) => {
      const result = await api.query(LIST, { orderBy, first: 3 });
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors?.[0]?.message).toMatch(/orderBy\[0\].*exactly one field/);
      expect(result.extensions?.sql?.statements).toBe(0);
    });
  });

  describe('cursors', () => {
    const encode = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
    /** A cursor carrying the signature of a real one for the same orderBy, with other values. */
    async function forged(orderBy: unknown, values: unknown[]): Promise<string> {
      const real = must((await page({ orderBy, first: 1 })).pageInfo.endCursor, 'cursor');
      const [signature] = JSON.parse(Buffer.from(real, 'base64url').toString('utf8')) as [string];
      return encode([signature, ...values]);
    }

    const refused = async (variables: Record<string, unknown>, argument: string) => {
      const result: GraphQLResponse = await api.query(LIST, variables);
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors?.[0]?.message).toContain(`"${argument}"`);
      expect(result.extensions?.sql?.statements).toBe(0);
    };

    it('refuses a before cursor that is not one this list gave out', async () => {
      await refused({ last: 5, before: 'garbage' }, 'before');
      await refused({ last: 5, before: encode(['x', 1, 2, 3]) }, 'before');
    });

    it('refuses a real cursor of another orderBy, forward and backward', async () => {
      const byScore = must(
        (await page({ orderBy: [{ score: 'ASC' }], first: 3 })).pageInfo.endCursor,
        'cursor',
      );
      await refused({ orderBy: [{ label: 'ASC' }], first: 3, after: byScore }, 'after');
      await refused({ orderBy: [{ score: 'DESC' }], last: 3, before: byScore }, 'before');
    });

    it.each([
      ['an Int key that is a word', [{ score: 'ASC' }], ['abc', '1']],
      ['an Int key with SQL in it', [{ score: 'ASC' }], ['1; DROP TABLE entries', '1']],
      ['a DateTime key that is not a time', [{ at: 'ASC' }], ['yesterday', '1']],
      ['a Float key that is not a number', [{ weight: 'ASC' }], ['1e', '1']],
      ['too few values', [{ score: 'ASC' }], ['1']],
      ['a number where the text of a value belongs', [{ score: 'ASC' }], [1, '1']],
    ])('refuses a forged cursor holding %s', async (_, orderBy, values) => {
      await refused({ orderBy, first: 3, after: await forged(orderBy, values) }, 'after');
    });

    it('binds a text key holding SQL as a value: the rows after it, and the table intact', async () => {
      const orderBy = [{ label: 'ASC' }];
      const expected = expectedOrder([{ value: label, direction: 'ASC' }]);
      const after = await forged(orderBy, ["'; DROP TABLE entries; --", '500']);
      const connection = await page({ orderBy, first: 20, after });
      const ids = idsOf(connection);
      const start = expected.indexOf(ids[0] ?? -1);
      expect(ids).toHaveLength(20);
      expect(ids).toEqual(expected.slice(start, start + 20));
      const [rows] = await api.server.connection
        .database()
        .select({ rows: count() })
        .from(must(api.server.tables.byModel.get('Entry'), 'table Entry').table);
      expect(Number(rows?.rows)).toBe(ROWS);
    });
  });
});
