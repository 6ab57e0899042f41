/**
 * Row values through the JSON row statements (db/prepared-rows.ts): every list, hasMany page and
 * relation loader answers as one JSON value, one array per column, that a generated decoder turns
 * back into rows. Values read through GraphQL must be exactly the values stored, for every field
 * kind and its edges, on all three paths; wide rows (more than 100 columns) travel chunked; empty
 * answers decode to no rows; order is kept; and each read costs one statement per level.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StatementCounter } from '../../db/statement-counter.ts';
import { modelTable } from '../../db/tables.ts';
import { belongsTo, type Field, field, hasMany, hasOne, type Model, model } from '../../index.ts';
import type { JsonValue } from '../../schema/field.ts';
import type { RelgraphServer } from '../../server/create-server.ts';
import { drivers } from '../support/databases.ts';
import { type GraphQLResponse, startTestServer, type TestServer } from '../support/test-server.ts';

// ---------------------------------------------------------------------------------------------------
// Models: a Shelf has Things (every field kind) and Wides (120 fields), at most one Plaque; a Pointer
// points at a Thing or a Wide, so both are also read through a belongsTo loader.
// ---------------------------------------------------------------------------------------------------

const LEVELS = ['low', 'mid', 'high'] as const;
type Level = (typeof LEVELS)[number];

const Shelf = model('Shelf', {
  fields: { id: field.id(), name: field.string() },
  relations: {
    things: hasMany((): Model => Thing),
    wides: hasMany((): Model => Wide),
    moments: hasMany((): Model => Moment),
    plaque: hasOne((): Model => Plaque),
  },
});

const Plaque = model('Plaque', {
  fields: { id: field.id(), words: field.text() },
  relations: { shelf: belongsTo((): Model => Shelf) },
});

const Thing = model('Thing', {
  fields: {
    id: field.id(),
    name: field.string(),
    note: field.text(),
    count: field.int(),
    big: field.bigint(),
    ratio: field.float(),
    price: field.decimal(),
    active: field.boolean(),
    at: field.datetime(),
    day: field.date(),
    meta: field.json(),
    ref: field.uuid(),
    level: field.enum(LEVELS),
    maybeName: field.string({ optional: true }),
    maybeNote: field.text({ optional: true }),
    maybeCount: field.int({ optional: true }),
    maybeBig: field.bigint({ optional: true }),
    maybeRatio: field.float({ optional: true }),
    maybePrice: field.decimal({ optional: true }),
    maybeActive: field.boolean({ optional: true }),
    maybeAt: field.datetime({ optional: true }),
    maybeDay: field.date({ optional: true }),
    maybeMeta: field.json({ optional: true }),
    maybeRef: field.uuid({ optional: true }),
    maybeLevel: field.enum(LEVELS, { optional: true }),
    // A column name that needs quoting, read through `r."…"` in the wrapping statement.
    oddColumn: field.string({ optional: true, column: 'Odd Column Name' }),
  },
  relations: { shelf: belongsTo((): Model => Shelf) },
});

/** The kinds of the wide model's fields, in turn: 12 kinds, 10 fields each. */
const WIDE_KINDS = [
  'int',
  'string',
  'bigint',
  'float',
  'decimal',
  'boolean',
  'datetime',
  'date',
  'json',
  'uuid',
  'text',
  'enum',
] as const;
type WideKind = (typeof WIDE_KINDS)[number];
const WIDE_FIELDS = 120;
const WIDE_ENUM = ['a', 'b', 'c'] as const;
const wideName = (i: number) => `w${String(i).padStart(3, '0')}`;
const wideKind = (i: number): WideKind => WIDE_KINDS[i % WIDE_KINDS.length] as WideKind;

function wideField(kind: WideKind): Field {
  switch (kind) {
    case 'enum':
      return field.enum(WIDE_ENUM, { optional: true });
    default:
      return field[kind]({ optional: true });
  }
}

const Wide = model('Wide', {
  fields: {
    id: field.id(),
    ...Object.fromEntries(
      Array.from({ length: WIDE_FIELDS }, (_, i) => [wideName(i), wideField(wideKind(i))]),
    ),
  } as Record<string, Field>,
  relations: { shelf: belongsTo((): Model => Shelf) },
});

const Pointer = model('Pointer', {
  fields: { id: field.id(), label: field.string() },
  relations: {
    thing: belongsTo((): Model => Thing, { optional: true }),
    wide: belongsTo((): Model => Wide, { optional: true }),
  },
});

/** Moments of the first centuries, written through the API (its DateTime and Date accept them). */
const Moment = model('Moment', {
  fields: { id: field.id(), at: field.datetime(), day: field.date() },
  relations: { shelf: belongsTo((): Model => Shelf) },
});

/** Float values GraphQL's Float cannot represent, on a model of their own. */
const Gauge = model('Gauge', { fields: { id: field.id(), reading: field.float({ optional: true }) } });

const models = [Shelf, Plaque, Thing, Wide, Pointer, Moment, Gauge];

// ---------------------------------------------------------------------------------------------------
// Rows, written in the form GraphQL must answer them (ids, BigInt and Decimal as strings, DateTime as
// ISO-8601 in UTC), and converted to Drizzle values for the insert.
// ---------------------------------------------------------------------------------------------------

interface ThingValues {
  id: string;
  name: string;
  note: string;
  count: number;
  big: string;
  ratio: number;
  price: string;
  active: boolean;
  at: string;
  day: string;
  meta: JsonValue;
  ref: string;
  level: Level;
  maybeName: string | null;
  maybeNote: string | null;
  maybeCount: number | null;
  maybeBig: string | null;
  maybeRatio: number | null;
  maybePrice: string | null;
  maybeActive: boolean | null;
  maybeAt: string | null;
  maybeDay: string | null;
  maybeMeta: JsonValue | null;
  maybeRef: string | null;
  maybeLevel: Level | null;
  oddColumn: string | null;
  shelfId: string;
}

/** Quotes, backslashes, control characters, accents, emoji, right-to-left text, a line separator. */
const TRICKY =
  'She said "hi" \\ \'there\'\n\ttab\r\nback\\slash \\" \\\\n not-a-newline é ñ ü Ω 😀 👩‍👩‍👧 עברית \u2028 \u0001 \u001f end';
/** 100 KB of text: printable ASCII (quotes and backslashes included) with a multi-byte run now and then. */
const LONG = Array.from({ length: 100 * 1024 }, (_, i) =>
  i % 1000 === 999 ? 'é😀\n' : String.fromCharCode(32 + (i % 95)),
).join('');

const NESTED: JsonValue = {
  string: TRICKY,
  number: 123.456,
  negative: -0.5,
  exponent: 1.5e-7,
  large: 1e21,
  integer: 9007199254740991,
  true: true,
  false: false,
  null: null,
  empty: {},
  emptyArray: [],
  emptyString: '',
  array: [1, 'two', null, true, false, { three: [3, null] }, [[], [null]]],
  deep: { a: { b: { c: { d: ['e', { f: null }] } } } },
  'key with "quotes" and \\ and é😀': 'value',
  looksLikeANumber: '123',
  looksLikeNull: 'null',
};

const THINGS: ThingValues[] = [
  {
    id: '1',
    name: 'delta',
    note: TRICKY,
    count: 2147483647,
    big: '9007199254740993',
    ratio: 1.7976931348623157e308,
    price: '12345678901234567890.123456789',
    active: true,
    at: '2024-02-29T23:59:59.999Z',
    day: '2024-02-29',
    meta: NESTED,
    ref: '0b8e2f4c-3d1a-4f5e-9a6b-7c8d9e0f1a2b',
    level: 'high',
    maybeName: 'Zoë 😀 "quoted"',
    maybeNote: LONG,
    maybeCount: -2147483648,
    maybeBig: '-9223372036854775808',
    maybeRatio: -1.5e-300,
    maybePrice: '-0.000000000000000000000000000001',
    maybeActive: false,
    maybeAt: '1969-12-31T23:59:59.001Z',
    maybeDay: '1900-01-01',
    maybeMeta: [null, 'a', 1, { b: [null] }],
    maybeRef: 'ffffffff-ffff-ffff-ffff-ffffffffffff',
    maybeLevel: 'low',
    oddColumn: 'odd',
    shelfId: '1',
  },
  {
    id: '2',
    name: '',
    note: '',
    count: -2147483648,
    big: '-9007199254740993',
    ratio: -1.5e-300,
    price: '-98765432109876543210.000000001',
    active: false,
    at: '1970-01-01T00:00:00.000Z',
    day: '0001-01-01',
    meta: '123',
    ref: '00000000-0000-0000-0000-000000000000',
    level: 'low',
    maybeName: null,
    maybeNote: null,
    maybeCount: null,
    maybeBig: null,
    maybeRatio: null,
    maybePrice: null,
    maybeActive: null,
    maybeAt: null,
    maybeDay: null,
    maybeMeta: null,
    maybeRef: null,
    maybeLevel: null,
    oddColumn: null,
    shelfId: '1',
  },
  {
    id: '3',
    name: 'alpha',
    note: LONG,
    count: 0,
    big: '9223372036854775807',
    ratio: 0.1,
    price: '0',
    active: true,
    at: '2026-11-21T10:19:04.123Z',
    day: '9999-12-31',
    meta: TRICKY,
    ref: '123e4567-e89b-12d3-a456-426614174000',
    level: 'mid',
    maybeName: '',
    maybeNote: '',
    maybeCount: 0,
    maybeBig: '0',
    maybeRatio: 0.30000000000000004,
    maybePrice: '1.50',
    maybeActive: true,
    maybeAt: '2000-01-01T00:00:00.000Z',
    maybeDay: '2000-01-01',
    maybeMeta: { nested: NESTED, list: [NESTED, null] },
    maybeRef: '123e4567-e89b-12d3-a456-426614174001',
    maybeLevel: 'high',
    oddColumn: '',
    shelfId: '1',
  },
  {
    id: '4',
    name: 'charlie',
    note: 'null',
    count: 42,
    big: '-9223372036854775808',
    ratio: 5e-324,
    price: '0.000000000000000000000000000001',
    active: false,
    at: '9999-12-31T23:59:59.999Z',
    day: '1970-01-01',
    meta: [null, [null, null], {}, [], '', 0, -1e-10, 'null', '123'],
    ref: 'a0a0a0a0-b1b1-4c2c-8d3d-e4e4e4e4e4e4',
    level: 'low',
    maybeName: 'null',
    maybeNote: '{"looks": "like json"}',
    maybeCount: 7,
    maybeBig: '9007199254740993',
    maybeRatio: 1.7976931348623157e308,
    maybePrice: '12345678901234567890.123456789',
    maybeActive: false,
    maybeAt: '2024-02-29T23:59:59.999Z',
    maybeDay: '2024-02-29',
    maybeMeta: '123',
    maybeRef: '00000000-0000-0000-0000-000000000000',
    maybeLevel: 'mid',
    oddColumn: TRICKY,
    shelfId: '1',
  },
  {
    id: '5',
    name: 'echo',
    note: 'plain',
    count: -1,
    big: '1',
    ratio: -0.1,
    price: '3.14159265358979323846264338327950288419716939937510',
    active: true,
    at: '2001-09-09T01:46:40.000Z',
    day: '2026-01-31',
    meta: true,
    ref: 'c0ffee00-0000-4000-8000-000000000001',
    level: 'high',
    maybeName: TRICKY,
    maybeNote: TRICKY,
    maybeCount: 2147483647,
    maybeBig: '-1',
    maybeRatio: 123456789.12345679,
    maybePrice: '-1',
    maybeActive: true,
    maybeAt: '1000-01-01T00:00:00.000Z',
    maybeDay: '1000-01-01',
    maybeMeta: false,
    maybeRef: 'c0ffee00-0000-4000-8000-000000000002',
    maybeLevel: 'low',
    oddColumn: '😀',
    shelfId: '3',
  },
  {
    id: '6',
    name: 'bravo',
    note: 'NaN',
    count: 1,
    big: '-1',
    ratio: 2 ** 53 + 2,
    price: '-0.5',
    active: false,
    at: '2024-06-15T12:30:45.678Z',
    day: '2024-06-15',
    meta: 1.7976931348623157e308,
    ref: 'c0ffee00-0000-4000-8000-000000000003',
    level: 'mid',
    maybeName: null,
    maybeNote: 'x',
    maybeCount: null,
    maybeBig: '1',
    maybeRatio: null,
    maybePrice: '0.1',
    maybeActive: null,
    maybeAt: '2024-06-15T12:30:45.678Z',
    maybeDay: null,
    maybeMeta: 'null',
    maybeRef: null,
    maybeLevel: null,
    oddColumn: null,
    shelfId: '3',
  },
  {
    id: '7',
    name: 'foxtrot',
    note: 'last',
    count: 3,
    big: '123456789012345678',
    ratio: 1e-7,
    price: '100',
    active: true,
    at: '2024-01-01T00:00:00.001Z',
    day: '2024-01-01',
    meta: { '': '', ' ': [' '], null: [null] },
    ref: 'c0ffee00-0000-4000-8000-000000000004',
    level: 'high',
    maybeName: 'x',
    maybeNote: null,
    maybeCount: -5,
    maybeBig: null,
    maybeRatio: 0,
    maybePrice: null,
    maybeActive: false,
    maybeAt: null,
    maybeDay: '2024-01-02',
    // Stored as the JSON document `null`, not SQL NULL (thingInsert): GraphQL answers null for both.
    maybeMeta: null,
    maybeRef: null,
    maybeLevel: 'mid',
    oddColumn: 'y',
    shelfId: '1',
  },
];

const bigOrNull = (value: string | null) => (value === null ? null : BigInt(value));
const dateOrNull = (value: string | null) => (value === null ? null : new Date(value));

/** A JSON document as a `jsonb` literal, so the stored value is exactly this document (JSON null too). */
const jsonb = (value: JsonValue | null) => (value === null ? null : sql`${JSON.stringify(value)}::jsonb`);

/** The thing whose optional json field holds the JSON document `null` rather than SQL NULL. */
const JSON_NULL_THING = '7';

function thingInsert(thing: ThingValues) {
  return {
    ...thing,
    id: Number(thing.id),
    shelfId: Number(thing.shelfId),
    big: BigInt(thing.big),
    maybeBig: bigOrNull(thing.maybeBig),
    at: new Date(thing.at),
    maybeAt: dateOrNull(thing.maybeAt),
    meta: jsonb(thing.meta),
    maybeMeta: thing.id === JSON_NULL_THING ? sql`'null'::jsonb` : jsonb(thing.maybeMeta),
  };
}

/** What GraphQL answers for a thing: the values above as written. */
const thingAnswer = (thing: ThingValues): Record<string, unknown> => ({ ...thing });

// The wide rows: every value depends on its row and column, so a value read from the wrong column
// or row differs; some values are null.
const WIDE_ROWS = 5;
/** Wide rows 1-3 are on shelf 1, 4-5 on shelf 3; shelf 2 has none. */
const wideShelf = (row: number) => (row <= 3 ? 1 : 3);
const isNullAt = (row: number, column: number) => (row * 7 + column) % 11 === 0;
const hex12 = (n: number) => n.toString(16).padStart(12, '0');

/** The value of wide row `row`, field `column`, as GraphQL answers it. */
function wideAnswer(row: number, column: number): unknown {
  if (isNullAt(row, column)) return null;
  const n = row * 1000 + column;
  switch (wideKind(column)) {
    case 'int':
      return row % 2 === 0 ? -n : n;
    case 'string':
      return `r${row}c${column} "q" \\ é😀`;
    case 'bigint':
      return (9007199254740993n * BigInt(row % 2 === 0 ? -1 : 1) + BigInt(column)).toString();
    case 'float':
      return n + 0.1;
    case 'decimal':
      return `${n}12345678901234567890.${String(column).padStart(3, '0')}1`;
    case 'boolean':
      return (row + column) % 2 === 0;
    case 'datetime':
      return new Date(Date.UTC(2025, 0, 1) + row * 86_400_000 + column * 1001).toISOString();
    case 'date':
      return `20${String(10 + row).padStart(2, '0')}-${String((column % 12) + 1).padStart(2, '0')}-${String((column % 28) + 1).padStart(2, '0')}`;
    case 'json':
      return { row, column, list: [column, null, `v${column}`], text: '"\\\n' };
    case 'uuid':
      return `00000000-0000-4000-8000-${hex12(n)}`;
    case 'text':
      return `line ${row}\n\tcolumn ${column}`;
    case 'enum':
      return WIDE_ENUM[(row + column) % WIDE_ENUM.length];
  }
}

function wideExpected(row: number): Record<string, unknown> {
  return {
    id: String(row),
    ...Object.fromEntries(
      Array.from({ length: WIDE_FIELDS }, (_, column) => [wideName(column), wideAnswer(row, column)]),
    ),
    shelfId: String(wideShelf(row)),
  };
}

function wideInsert(row: number): Record<string, unknown> {
  const values: Record<string, unknown> = { id: row, shelfId: wideShelf(row) };
  for (let column = 0; column < WIDE_FIELDS; column++) {
    const answer = wideAnswer(row, column);
    const kind = wideKind(column);
    values[wideName(column)] =
      answer === null
        ? null
        : kind === 'bigint'
          ? BigInt(answer as string)
          : kind === 'datetime'
            ? new Date(answer as string)
            : kind === 'json'
              ? jsonb(answer as JsonValue)
              : answer;
  }
  return values;
}

const wideIds = Array.from({ length: WIDE_ROWS }, (_, i) => i + 1);

/** Pointers 1-7 point at things 1-7, pointers 11-15 at wides 1-5, pointer 20 at nothing. */
const POINTERS = [
  ...THINGS.map((thing) => ({ id: Number(thing.id), label: `thing ${thing.id}`, thingId: Number(thing.id) })),
  ...wideIds.map((wide) => ({ id: 10 + wide, label: `wide ${wide}`, wideId: wide })),
  { id: 20, label: 'nothing' },
];

async function seed(server: RelgraphServer) {
  const db = server.connection.database();
  const table = (name: string) => modelTable(server.tables, name).table;
  await db.insert(table('Shelf')).values([
    { id: 1, name: 'first' },
    { id: 2, name: 'empty' },
    { id: 3, name: 'third' },
  ] as never);
  await db.insert(table('Plaque')).values([
    { id: 1, words: TRICKY, shelfId: 1 },
    { id: 2, words: '', shelfId: 3 },
  ] as never);
  await db.insert(table('Thing')).values(THINGS.map(thingInsert) as never);
  await db.insert(table('Wide')).values(wideIds.map(wideInsert) as never);
  await db.insert(table('Pointer')).values(POINTERS as never);
  await db.insert(table('Gauge')).values([
    { id: 1, reading: 1.5 },
    { id: 2, reading: Number.NaN },
    { id: 3, reading: Number.POSITIVE_INFINITY },
    { id: 4, reading: Number.NEGATIVE_INFINITY },
    { id: 5, reading: null },
  ] as never);
}

// ---------------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------------

const THING_FIELDS = `
  id name note count big ratio price active at day meta ref level
  maybeName maybeNote maybeCount maybeBig maybeRatio maybePrice maybeActive maybeAt maybeDay maybeMeta
  maybeRef maybeLevel oddColumn shelfId`;
const thingFragment = `fragment T on Thing { ${THING_FIELDS} }`;
const wideFragment = `fragment W on Wide { id ${Array.from({ length: WIDE_FIELDS }, (_, i) => wideName(i)).join(' ')} shelfId }`;

type Node = Record<string, unknown>;
const nodesOf = (result: GraphQLResponse, list: string) =>
  (result.data?.[list] as { nodes: Node[] } | undefined)?.nodes;

/** The answer, after checking that it has no errors and cost `statements` SQL statements. */
function answered(result: GraphQLResponse, statements: number): Record<string, unknown> {
  expect(result.errors).toBeUndefined();
  expect(result.extensions?.sql?.statements).toBe(statements);
  return result.data ?? {};
}

const thingsOnShelf = (shelf: number) => THINGS.filter((thing) => thing.shelfId === String(shelf));
const widesOnShelf = (shelf: number) => wideIds.filter((row) => wideShelf(row) === shelf).map(wideExpected);

describe.each(drivers)('row values on %s', (driver) => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(driver, models, { seed });
  });
  afterAll(() => api?.close());

  describe('the rows as stored (what the other tests expect to read back)', () => {
    it('holds the edge values in the database itself, read as PostgreSQL text', async () => {
      const db = api.server.connection.database();
      const stored = (await db.execute(
        sql`select id::text, big::text, price::text, jsonb_typeof(meta) as meta_type,
          jsonb_typeof(maybe_meta) as maybe_meta_type, maybe_big::text,
          maybe_price::text, ratio = ${'1.7976931348623157e308'}::float8 as max_ratio,
          length(note) as note_length, length(maybe_note) as maybe_note_length
          from things order by id`,
      )) as unknown as { rows?: Array<Record<string, unknown>> } & Array<Record<string, unknown>>;
      const rows = stored.rows ?? stored;
      const typeOf = (value: JsonValue) =>
        value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
      expect(
        rows.map((row) => [
          row.id,
          row.big,
          row.price,
          row.meta_type,
          row.maybe_meta_type,
          row.maybe_big,
          row.maybe_price,
        ]),
      ).toEqual(
        THINGS.map((thing) => [
          thing.id,
          thing.big,
          thing.price,
          typeOf(thing.meta),
          thing.id === JSON_NULL_THING ? 'null' : thing.maybeMeta === null ? null : typeOf(thing.maybeMeta),
          thing.maybeBig,
          thing.maybePrice,
        ]),
      );
      expect(rows.map((row) => row.max_ratio)).toEqual(
        THINGS.map((thing) => thing.ratio === 1.7976931348623157e308),
      );
      expect(rows.map((row) => Number(row.note_length))).toEqual(
        THINGS.map((thing) => [...thing.note].length),
      );
      expect(
        rows.map((row) => (row.maybe_note_length === null ? null : Number(row.maybe_note_length))),
      ).toEqual(THINGS.map((thing) => (thing.maybeNote === null ? null : [...thing.maybeNote].length)));
    });
  });

  describe('every field kind, edge values and nulls', () => {
    it('reads every thing exactly through the root list, in one statement', async () => {
      const result = await api.query(`{ things(first: 50) { nodes { ...T } } } ${thingFragment}`);
      const data = answered(result, 1);
      expect(nodesOf({ data }, 'things')).toEqual(THINGS.map(thingAnswer));
    });

    it('reads every thing exactly through a belongsTo loader (Pointer.thing), in two statements', async () => {
      const result = await api.query(
        `{ pointers(first: 50, where: { thingId: { isNull: false } }) { nodes { id thing { ...T } } } } ${thingFragment}`,
      );
      const data = answered(result, 2);
      expect(nodesOf({ data }, 'pointers')).toEqual(
        THINGS.map((thing) => ({ id: thing.id, thing: thingAnswer(thing) })),
      );
    });

    it('reads every thing exactly through lookups by id (one batched loader statement)', async () => {
      const lookups = THINGS.map((thing) => `t${thing.id}: thing(id: ${thing.id}) { ...T }`).join(' ');
      const data = answered(await api.query(`{ ${lookups} } ${thingFragment}`), 1);
      expect(data).toEqual(Object.fromEntries(THINGS.map((thing) => [`t${thing.id}`, thingAnswer(thing)])));
    });

    it('reads every thing exactly through hasMany pages of every shelf, in two statements', async () => {
      const result = await api.query(
        `{ shelfs(first: 10) { nodes { id things(first: 50) { nodes { ...T } } } } } ${thingFragment}`,
      );
      const data = answered(result, 2);
      expect(nodesOf({ data }, 'shelfs')).toEqual(
        [1, 2, 3].map((shelf) => ({
          id: String(shelf),
          things: { nodes: thingsOnShelf(shelf).map(thingAnswer) },
        })),
      );
    });

    it('reads the same values on every path for the same row (root list, loader, page)', async () => {
      // One row read three ways in separate requests: no path may answer differently from another.
      const root = nodesOf(
        await api.query(`{ things(first: 1, where: { id: { eq: 1 } }) { nodes { ...T } } } ${thingFragment}`),
        'things',
      );
      const loaded = (await api.query(`{ pointer(id: 1) { thing { ...T } } } ${thingFragment}`)).data
        ?.pointer as { thing: Node } | undefined;
      const paged = (
        await api.query(`{ shelf(id: 1) { things(first: 1) { nodes { ...T } } } } ${thingFragment}`)
      ).data?.shelf as { things: { nodes: Node[] } } | undefined;
      const expected = thingAnswer(THINGS[0] as ThingValues);
      expect(root).toEqual([expected]);
      expect(loaded?.thing).toEqual(expected);
      expect(paged?.things.nodes).toEqual([expected]);
    });

    it('reads the plaques (text with quotes, control characters and emoji; the empty string) through hasOne', async () => {
      const result = await api.query('{ shelfs(first: 10) { nodes { id plaque { id words shelfId } } } }');
      const data = answered(result, 2);
      expect(nodesOf({ data }, 'shelfs')).toEqual([
        { id: '1', plaque: { id: '1', words: TRICKY, shelfId: '1' } },
        { id: '2', plaque: null },
        { id: '3', plaque: { id: '2', words: '', shelfId: '3' } },
      ]);
    });

    it('answers finite floats exactly, and refuses NaN and ±Infinity with a field error instead of a number', async () => {
      const result = await api.query('{ gauges(first: 10) { nodes { id reading } } }');
      expect(result.extensions?.sql?.statements).toBe(1);
      expect(nodesOf(result, 'gauges')).toEqual([
        { id: '1', reading: 1.5 },
        { id: '2', reading: null },
        { id: '3', reading: null },
        { id: '4', reading: null },
        { id: '5', reading: null },
      ]);
      expect(result.errors?.map((error) => (error as { path?: unknown[] }).path)).toEqual([
        ['gauges', 'nodes', 1, 'reading'],
        ['gauges', 'nodes', 2, 'reading'],
        ['gauges', 'nodes', 3, 'reading'],
      ]);
    });
  });

  describe('datetimes of the first centuries, written through createMoment', () => {
    const MOMENTS = [
      { at: '0001-01-01T00:00:00.000Z', day: '0001-01-01' },
      { at: '0099-12-31T23:59:59.999Z', day: '0099-12-31' },
      { at: '0100-01-01T00:00:00.000Z', day: '0100-01-01' },
      { at: '1899-12-31T23:59:59.999Z', day: '1899-12-31' },
    ];
    const expected = MOMENTS.map((moment, i) => ({ id: String(i + 1), ...moment }));
    beforeAll(async () => {
      for (const moment of MOMENTS) {
        const result = await api.query(
          'mutation ($at: DateTime!, $day: Date!) { createMoment(input: { at: $at, day: $day, shelfId: 1 }) { id } }',
          moment,
        );
        expect(result.errors).toBeUndefined();
      }
    });

    // Years 1-99 come back as 19xx/20xx on every path (found with this test): a timestamptz travels as
    // its PostgreSQL text ("0099-12-31 23:59:59.999+00") and Drizzle's PgTimestamp.mapFromDriverValue
    // reads it with `new Date(text)`, whose non-ISO parser takes years below 100 as 1900 + year.
    it('reads them as written through the root list, a loader and a hasMany page', async () => {
      // The database holds them as written (PostgreSQL's own ISO text, independent of the read path).
      const stored = await api.server.connection
        .database()
        .execute(sql`select to_json(at)#>>'{}' as at, day::text as day from moments order by id`);
      const storedRows = ((stored as { rows?: unknown[] }).rows ?? stored) as Array<{
        at: string;
        day: string;
      }>;
      expect(storedRows.map((row) => [row.at.slice(0, 10), row.day])).toEqual(
        MOMENTS.map((moment) => [moment.at.slice(0, 10), moment.day]),
      );
      const lookups = expected
        .map((moment) => `m${moment.id}: moment(id: ${moment.id}) { id at day }`)
        .join(' ');
      const result = await api.query(
        `{ moments(first: 10) { nodes { id at day } } shelf(id: 1) { moments(first: 10) { nodes { id at day } } } ${lookups} }`,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({
        moments: { nodes: expected },
        shelf: { moments: { nodes: expected } },
        ...Object.fromEntries(expected.map((moment) => [`m${moment.id}`, moment])),
      });
    });
  });

  describe('a model with 120 fields (chunked into arrays of at most 100)', () => {
    it('reads every value of every wide row through the root list, in one statement', async () => {
      const result = await api.query(`{ wides(first: 50) { nodes { ...W } } } ${wideFragment}`);
      const data = answered(result, 1);
      expect(nodesOf({ data }, 'wides')).toEqual(wideIds.map(wideExpected));
    });

    it('reads every value through a belongsTo loader (Pointer.wide), in two statements', async () => {
      const result = await api.query(
        `{ pointers(first: 50, where: { wideId: { isNull: false } }) { nodes { id wide { ...W } } } } ${wideFragment}`,
      );
      const data = answered(result, 2);
      expect(nodesOf({ data }, 'pointers')).toEqual(
        wideIds.map((row) => ({ id: String(10 + row), wide: wideExpected(row) })),
      );
    });

    it('reads every value through hasMany pages of every shelf, in two statements', async () => {
      const result = await api.query(
        `{ shelfs(first: 3) { nodes { id wides(first: 10) { nodes { ...W } } } } } ${wideFragment}`,
      );
      const data = answered(result, 2);
      expect(nodesOf({ data }, 'shelfs')).toEqual(
        [1, 2, 3].map((shelf) => ({ id: String(shelf), wides: { nodes: widesOnShelf(shelf) } })),
      );
    });

    it('runs each wide read as arrays of at most 100 columns inside one array (the chunked form)', async () => {
      const spy = vi.spyOn(StatementCounter.prototype, 'logQuery');
      let texts: string[] = [];
      try {
        // Separate requests: a list primes the loaders, so one request could answer the loader from it.
        for (const query of [
          '{ wides(first: 10) { nodes { ...W } } }',
          '{ pointers(first: 50, where: { wideId: { isNull: false } }) { nodes { wide { ...W } } } }',
          '{ shelfs(first: 3) { nodes { wides(first: 10) { nodes { ...W } } } } }',
        ]) {
          expect((await api.query(`${query} ${wideFragment}`)).errors).toBeUndefined();
        }
        texts = spy.mock.calls.map(([text]) => text);
      } finally {
        spy.mockRestore();
      }
      const statements = texts.filter((text) => text.includes('from "wides"'));
      // The root list, the Pointer.wide loader and the hasMany page.
      expect(statements).toHaveLength(3);
      for (const text of statements) {
        const outer = text.slice(0, text.indexOf(' as "columns"'));
        expect(outer).toMatch(/^select json_build_array\(json_build_array\(json_agg\(/);
        const chunks = outer.split('json_build_array(').slice(2);
        const sizes = chunks.map((chunk) => chunk.split('json_agg(').length - 1);
        expect(sizes.length).toBeGreaterThan(1);
        for (const size of sizes) expect(size).toBeLessThanOrEqual(100);
        // id, 120 fields and shelfId at least (a list may add its order values).
        expect(sizes.reduce((sum, size) => sum + size, 0)).toBeGreaterThanOrEqual(WIDE_FIELDS + 2);
      }
    });

    it('has the value of each column in its own place (columns 99, 100 and 119 of row 2)', async () => {
      const result = await api.query(`{ wide(id: 2) { ...W } } ${wideFragment}`);
      const data = answered(result, 1);
      const wide = data.wide as Node;
      expect([wide.w099, wide.w100, wide.w119]).toEqual([
        wideAnswer(2, 99),
        wideAnswer(2, 100),
        wideAnswer(2, 119),
      ]);
      expect(wide).toEqual(wideExpected(2));
    });
  });

  describe('empty answers', () => {
    it('answers an empty root list for a filter matching nothing, on a narrow and a wide model', async () => {
      const result = await api.query(
        `{
          things(first: 10, where: { name: { eq: "no such thing" } }) { nodes { ...T } pageInfo { hasNextPage } }
          wides(first: 10, where: { w001: { eq: "no such value" } }) { nodes { ...W } pageInfo { hasNextPage } }
        } ${thingFragment} ${wideFragment}`,
      );
      const data = answered(result, 2);
      expect(data).toEqual({
        things: { nodes: [], pageInfo: { hasNextPage: false } },
        wides: { nodes: [], pageInfo: { hasNextPage: false } },
      });
    });

    it('answers empty hasMany pages for a shelf without things or wides', async () => {
      const result = await api.query(
        `{ shelfs(first: 10, where: { id: { eq: 2 } }) { nodes {
          id things(first: 10) { nodes { ...T } } wides(first: 10) { nodes { ...W } }
        } } } ${thingFragment} ${wideFragment}`,
      );
      const data = answered(result, 3);
      expect(nodesOf({ data }, 'shelfs')).toEqual([{ id: '2', things: { nodes: [] }, wides: { nodes: [] } }]);
    });

    it('answers null for a hasOne with no row, after a loader statement that found nothing', async () => {
      const result = await api.query(
        '{ shelfs(first: 10, where: { id: { eq: 2 } }) { nodes { id plaque { id words } } } }',
      );
      const data = answered(result, 2);
      expect(nodesOf({ data }, 'shelfs')).toEqual([{ id: '2', plaque: null }]);
    });

    it('answers null for lookups of missing rows, narrow and wide (one loader statement each)', async () => {
      const result = await api.query(
        `{ thing(id: 999) { ...T } wide(id: 999) { ...W } } ${thingFragment} ${wideFragment}`,
      );
      const data = answered(result, 2);
      expect(data).toEqual({ thing: null, wide: null });
    });

    it('answers null for a belongsTo whose key is null, without a statement for it', async () => {
      const result = await api.query(
        `{ pointers(first: 10, where: { id: { eq: 20 } }) { nodes { id thing { ...T } wide { ...W } } } } ${thingFragment} ${wideFragment}`,
      );
      const data = answered(result, 1);
      expect(nodesOf({ data }, 'pointers')).toEqual([{ id: '20', thing: null, wide: null }]);
    });
  });

  describe('order', () => {
    it('keeps a root list ordered by name descending (the empty name last)', async () => {
      const result = await api.query(
        `{ things(first: 50, orderBy: [{ name: DESC }]) { nodes { ...T } } } ${thingFragment}`,
      );
      const data = answered(result, 1);
      const nodes = nodesOf({ data }, 'things') ?? [];
      expect(nodes.map((node) => node.name)).toEqual([
        'foxtrot',
        'echo',
        'delta',
        'charlie',
        'bravo',
        'alpha',
        '',
      ]);
      const byName = new Map(THINGS.map((thing) => [thing.name, thingAnswer(thing)]));
      expect(nodes).toEqual(nodes.map((node) => byName.get(node.name as string)));
    });

    it('keeps a root list of wide rows ordered descending by a text field', async () => {
      // w001 is a string field, "r<row>c1 …", null in row 3: descending puts nulls first, then 5, 4, 2, 1.
      const result = await api.query(
        `{ wides(first: 50, orderBy: [{ w001: DESC }]) { nodes { ...W } } } ${wideFragment}`,
      );
      const data = answered(result, 1);
      expect(wideAnswer(3, 1)).toBeNull();
      expect(nodesOf({ data }, 'wides')).toEqual([3, 5, 4, 2, 1].map(wideExpected));
    });

    it('keeps hasMany pages ordered by another field, for every shelf in the one statement', async () => {
      const result = await api.query(
        `{ shelfs(first: 10) { nodes { id
          byAt: things(first: 50, orderBy: [{ at: DESC }]) { nodes { ...T } }
          byCount: things(first: 50, orderBy: [{ count: ASC }]) { nodes { id count } }
        } } } ${thingFragment}`,
      );
      // shelfs; the at-ordered pages of every shelf; the count-ordered pages of every shelf.
      const data = answered(result, 3);
      const shelves = nodesOf({ data }, 'shelfs') as Array<{
        id: string;
        byAt: { nodes: Node[] };
        byCount: { nodes: Node[] };
      }>;
      const byId = new Map(THINGS.map((thing) => [thing.id, thingAnswer(thing)]));
      // Shelf 1: things 1 (2024-02-29T23:59:59.999), 2 (1970), 3 (2026), 4 (9999), 7 (2024-01-01).
      expect(shelves.map((shelf) => [shelf.id, shelf.byAt.nodes.map((node) => node.id)])).toEqual([
        ['1', ['4', '3', '1', '7', '2']],
        ['2', []],
        ['3', ['6', '5']],
      ]);
      for (const shelf of shelves) {
        expect(shelf.byAt.nodes).toEqual(shelf.byAt.nodes.map((node) => byId.get(node.id as string)));
      }
      // Counts on shelf 1: 2147483647, -2147483648, 0, 42, 3; on shelf 3: -1, 1.
      expect(shelves.map((shelf) => [shelf.id, shelf.byCount.nodes])).toEqual([
        [
          '1',
          [
            { id: '2', count: -2147483648 },
            { id: '3', count: 0 },
            { id: '7', count: 3 },
            { id: '4', count: 42 },
            { id: '1', count: 2147483647 },
          ],
        ],
        ['2', []],
        [
          '3',
          [
            { id: '5', count: -1 },
            { id: '6', count: 1 },
          ],
        ],
      ]);
    });

    it('pages on after a cursor of a descending text order, without a lost or repeated row', async () => {
      const query = `query ($after: String) {
        things(first: 3, after: $after, orderBy: [{ name: DESC }]) { nodes { ...T } pageInfo { hasNextPage endCursor } }
      } ${thingFragment}`;
      const seen: Node[] = [];
      let after: string | null = null;
      for (let page = 0; page < 5; page++) {
        const result = await api.query(query, { after });
        const data = answered(result, 1);
        const list = data.things as { nodes: Node[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
        seen.push(...list.nodes);
        if (!list.pageInfo.hasNextPage) break;
        after = list.pageInfo.endCursor;
      }
      const byName = new Map(THINGS.map((thing) => [thing.name, thingAnswer(thing)]));
      expect(seen).toEqual(
        ['foxtrot', 'echo', 'delta', 'charlie', 'bravo', 'alpha', ''].map((name) => byName.get(name)),
      );
    });
  });

  describe('cursors and selections', () => {
    it('pages on with only the ordered field selected, as the cursors need the order values', async () => {
      const query = `query ($after: String) {
        things(first: 2, after: $after, orderBy: [{ name: DESC }]) { edges { cursor node { name } } pageInfo { hasNextPage } }
      }`;
      const names: unknown[] = [];
      let after: string | null = null;
      for (let page = 0; page < 5; page++) {
        const data = answered(await api.query(query, { after }), 1);
        const list = data.things as {
          edges: Array<{ cursor: string; node: Node }>;
          pageInfo: { hasNextPage: boolean };
        };
        names.push(...list.edges.map((edge) => edge.node.name));
        if (!list.pageInfo.hasNextPage) break;
        after = list.edges.at(-1)?.cursor ?? null;
      }
      expect(names).toEqual(['foxtrot', 'echo', 'delta', 'charlie', 'bravo', 'alpha', '']);
    });

    it('pages a hasMany list on after a cursor of a datetime order, every value intact', async () => {
      const query = `query ($after: String) {
        shelf(id: 1) { things(first: 2, after: $after, orderBy: [{ at: DESC }]) { nodes { ...T } pageInfo { hasNextPage endCursor } } }
      } ${thingFragment}`;
      const seen: Node[] = [];
      let after: string | null = null;
      for (let page = 0; page < 5; page++) {
        // The shelf by id; its page.
        const data = answered(await api.query(query, { after }), 2);
        const list = (
          data.shelf as { things: { nodes: Node[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }
        ).things;
        seen.push(...list.nodes);
        if (!list.pageInfo.hasNextPage) break;
        after = list.pageInfo.endCursor;
      }
      const byId = new Map(THINGS.map((thing) => [thing.id, thingAnswer(thing)]));
      expect(seen).toEqual(['4', '3', '1', '7', '2'].map((id) => byId.get(id)));
    });

    it('answers every value when one request reads the same rows with few fields on one path and all on another', async () => {
      const result = await api.query(
        `{
          things(first: 50) { nodes { id } }
          shelfs(first: 10) { nodes { things(first: 50) { nodes { name } } } }
          pointers(first: 50, where: { thingId: { isNull: false } }) { nodes { id thing { ...T } } }
        } ${thingFragment}`,
      );
      expect(result.errors).toBeUndefined();
      expect(nodesOf(result, 'things')).toEqual(THINGS.map((thing) => ({ id: thing.id })));
      expect(nodesOf(result, 'pointers')).toEqual(
        THINGS.map((thing) => ({ id: thing.id, thing: thingAnswer(thing) })),
      );
    });

    it('follows relations whose keys the query does not select, with every value intact', async () => {
      const result = await api.query(
        `{ pointers(first: 50) { nodes { label thing { name big meta shelf { name plaque { words } things(first: 50) { nodes { at } } } } } } }`,
      );
      // pointers; their things; the things' shelves; the shelves' plaques; the shelves' things.
      const data = answered(result, 5);
      const shelfOf = (id: string) => ({
        name: id === '1' ? 'first' : 'third',
        plaque: { words: id === '1' ? TRICKY : '' },
        things: { nodes: thingsOnShelf(Number(id)).map((thing) => ({ at: thing.at })) },
      });
      expect(nodesOf({ data }, 'pointers')).toEqual(
        POINTERS.map((pointer) => {
          const thing = THINGS.find((each) => 'thingId' in pointer && each.id === String(pointer.thingId));
          return {
            label: pointer.label,
            thing: thing
              ? { name: thing.name, big: thing.big, meta: thing.meta, shelf: shelfOf(thing.shelfId) }
              : null,
          };
        }),
      );
    });
  });

  describe('statement counts: one per level, never one per row', () => {
    it('reads things with their shelf, its plaque and its things, and pointers with theirs, in a fixed number of statements', async () => {
      const result = await api.query(
        `{
          pointers(first: 50) { nodes { id thing { ...T shelf { id plaque { words } things(first: 50) { nodes { id } } } } wide { ...W } } }
        } ${thingFragment} ${wideFragment}`,
      );
      // pointers; their things; their wides; the things' shelves; the shelves' plaques; the shelves' things.
      const data = answered(result, 6);
      const pointers = nodesOf({ data }, 'pointers') as Array<{
        id: string;
        thing: Node | null;
        wide: Node | null;
      }>;
      expect(pointers).toHaveLength(POINTERS.length);
      for (const pointer of pointers) {
        const thing = THINGS.find((each) => each.id === pointer.id && Number(pointer.id) < 10);
        const { shelf, ...values } = pointer.thing ?? { shelf: null };
        expect(pointer.thing === null ? null : values).toEqual(thing ? thingAnswer(thing) : null);
        if (thing) {
          expect(shelf).toEqual({
            id: thing.shelfId,
            plaque: thing.shelfId === '1' ? { words: TRICKY } : { words: '' },
            things: { nodes: thingsOnShelf(Number(thing.shelfId)).map((each) => ({ id: each.id })) },
          });
        }
        const wide = Number(pointer.id) > 10 && Number(pointer.id) < 20 ? Number(pointer.id) - 10 : null;
        expect(pointer.wide).toEqual(wide === null ? null : wideExpected(wide));
      }
    });

    it('costs the same number of statements for one row as for every row', async () => {
      const query = (first: number) =>
        `{ shelfs(first: ${first}) { nodes { plaque { id } things(first: 50) { nodes { id } } wides(first: 50) { nodes { ...W } } } } } ${wideFragment}`;
      expect(await api.statementsOf(query(1))).toBe(4);
      expect(await api.statementsOf(query(3))).toBe(4);
    });
  });
});
