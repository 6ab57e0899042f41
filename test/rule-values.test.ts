/**
 * A rule comparing a field with a viewer value the field cannot hold — an identity provider's subject
 * such as "auth0|5f1c" against an integer key, a bad uuid, an unknown enum value, a missing claim —
 * matches no row, for every operator and on every path (lists, relations, lookups, totals, relation
 * filters, field rules, write rules), never a database cast error; a client sending the same value
 * is refused with BAD_USER_INPUT. On both drivers, with the statement counts of a usable value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { belongsTo, field, hasMany, type Model, model, type Viewer, type Where } from '../index.ts';
import type { RelgraphServer } from '../server/create-server.ts';
import { drivers } from './support/databases.ts';
import { type GraphQLResponse, startTestServer, type TestServer } from './support/test-server.ts';

/** A subject as Auth0 issues it: no integer key can equal it. */
const SUB = 'auth0|5f1c';

const Owner = model('Owner', {
  fields: { id: field.id(), name: field.string() },
  relations: { items: hasMany((): Model => Item) },
});

/** Rules taken from the viewer, so each case below is a viewer with its own rule filter. */
const ruleOf = (viewer: Viewer | null, rule: 'read' | 'write' | 'field') =>
  (viewer?.[rule] as Where | undefined) ?? true;

const Item = model('Item', {
  fields: {
    id: field.id(),
    label: field.string(),
    kind: field.enum(['a', 'b']),
    level: field.int({ optional: true }),
    size: field.bigint({ optional: true }),
    ratio: field.float({ optional: true }),
    price: field.decimal({ optional: true }),
    flag: field.boolean({ optional: true }),
    due: field.datetime({ optional: true }),
    day: field.date({ optional: true }),
    ref: field.uuid({ optional: true }),
  },
  relations: { owner: belongsTo(() => Owner) },
  access: {
    read: ({ viewer }) => ruleOf(viewer, 'read'),
    create: ({ viewer }) => ruleOf(viewer, 'write'),
    update: ({ viewer }) => ruleOf(viewer, 'write'),
    fields: { ratio: ({ viewer }) => ruleOf(viewer, 'field') },
  },
});

async function seed(server: RelgraphServer) {
  const db = server.connection.database();
  const table = (name: string) => server.tables.byModel.get(name)?.table as never;
  await db.insert(table('Owner')).values([{ name: 'one' }, { name: 'two' }] as never);
  const common = { level: 1, size: 1, ratio: 1, price: '1', flag: true, due: new Date(0), day: '2024-01-01' };
  await db.insert(table('Item')).values([
    { ...common, label: 'i1', kind: 'a', ownerId: 1, ref: '00000000-0000-4000-8000-000000000001' },
    { ...common, label: 'i2', kind: 'b', ownerId: 1 },
    { ...common, label: 'i3', kind: 'a', ownerId: 2 },
  ] as never);
}

/** Each case: a read rule built from the viewer, and the items it lets the viewer read. */
const READS: ReadonlyArray<[string, Where, number[]]> = [
  ['a usable id (the control)', { ownerId: { eq: '1' } }, [1, 2]],
  ['eq on a foreign key', { ownerId: { eq: SUB } }, []],
  ['ne on a foreign key (fails closed)', { ownerId: { ne: SUB } }, []],
  ['lt, lte, gt, gte', { or: [{ ownerId: { lt: SUB } }, { ownerId: { gte: SUB } }] }, []],
  ['in, usable items kept', { ownerId: { in: [SUB, '1'] } }, [1, 2]],
  ['notIn', { ownerId: { notIn: [SUB] } }, []],
  ['a list that is no list', { ownerId: { in: SUB } }, []],
  ['eq on the primary key', { id: { eq: 'abc' } }, []],
  ['a key out of range', { id: { eq: '99999999999' } }, []],
  ['a uuid', { ref: { eq: 'not-a-uuid' } }, []],
  ['an enum value it does not have', { kind: { eq: 'archived' } }, []],
  ['an integer', { or: [{ level: { eq: 2.5 } }, { level: { eq: '12abc' } }] }, []],
  ['a bigint', { size: { gt: 'big' } }, []],
  ['a float and a decimal', { or: [{ ratio: { eq: 'abc' } }, { price: { lt: '1,5' } }] }, []],
  ['a boolean', { flag: { eq: 'maybe' } }, []],
  [
    'a date-time',
    { or: [{ due: { eq: '2024-13-01T00:00:00Z' } }, { due: { gt: new Date(Number.NaN) } }] },
    [],
  ],
  ['a date', { day: { eq: '2024-02-30' } }, []],
  ['text with NUL', { or: [{ label: { eq: 'i\u00001' } }, { label: { startsWith: '\u0000' } }] }, []],
  ['a LIKE pattern ending in the escape character', { label: { like: 'i\\' } }, []],
  ['a missing claim (undefined)', { ownerId: { eq: undefined } }, []],
  ['null', { ownerId: { eq: null } }, []],
  ['one unusable branch of an or', { or: [{ ownerId: { eq: SUB } }, { kind: { eq: 'a' } }] }, [1, 3]],
  ['not of an unusable comparison', { not: { ownerId: { eq: SUB } } }, [1, 2, 3]],
  ['a relation filter in the rule', { owner: { id: { eq: SUB } } }, []],
];

const VIEWERS = new Map<string, Viewer>(READS.map(([name, read]) => [name, { id: SUB, read }]));
VIEWERS.set('write', { id: SUB, write: { ownerId: { eq: SUB } } });
VIEWERS.set('write control', { id: SUB, write: { ownerId: { eq: '1' } } });
VIEWERS.set('field', { id: SUB, field: { ownerId: { eq: SUB } } });

describe.each(drivers)('rule values a field cannot hold, on %s', (driver) => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(driver, [Owner, Item], {
      seed,
      authenticate: (request) => VIEWERS.get(request.headers.get('x-case') ?? '') ?? null,
    });
  });
  afterAll(() => api?.close());

  async function as(name: string, query: string): Promise<GraphQLResponse> {
    const response = await api.server.yoga.fetch('http://relgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-case': name },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as GraphQLResponse;
  }

  const ids = (nodes: unknown) => (nodes as Array<{ id: string }>).map((node) => Number(node.id));

  it.each(READS)(
    '%s: matches what it can, on every read path, in the usual statements',
    async (name, _, visible) => {
      const list = await as(name, '{ items(orderBy: [{ id: ASC }]) { totalCount nodes { id } } }');
      expect(list.errors).toBeUndefined();
      const items = (list.data as { items: { totalCount: number; nodes: unknown } }).items;
      expect(ids(items.nodes)).toEqual(visible);
      expect(items.totalCount).toBe(visible.length);
      expect(list.extensions?.sql?.statements).toBe(2);

      const nested = await as(
        name,
        '{ owners { nodes { items(orderBy: [{ id: ASC }]) { nodes { id } } } } }',
      );
      expect(nested.errors).toBeUndefined();
      const owners = (nested.data as { owners: { nodes: Array<{ items: { nodes: unknown } }> } }).owners
        .nodes;
      expect(owners.flatMap((owner) => ids(owner.items.nodes))).toEqual(visible);
      expect(nested.extensions?.sql?.statements).toBe(2);

      const lookup = await as(name, '{ item(id: 1) { id } }');
      expect(lookup.errors).toBeUndefined();
      expect(lookup.data?.item).toEqual(visible.includes(1) ? { id: '1' } : null);

      // A client's relation filter sees only the items the rule lets through.
      const filtered = await as(name, '{ owners(where: { items: { some: {} } }) { totalCount } }');
      expect(filtered.errors).toBeUndefined();
      expect(filtered.data?.owners).toEqual({
        totalCount: new Set(visible.map((id) => (id < 3 ? 1 : 2))).size,
      });
    },
  );

  it('refuses a write whose rule compares with a value the field cannot hold: FORBIDDEN, nothing written', async () => {
    const update = await as('write', 'mutation { updateItem(id: 1, input: { label: "x" }) { label } }');
    expect(update.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const create = await as(
      'write',
      'mutation { createItem(input: { label: "n", kind: a, owner: { connect: { id: 1 } } }) { id } }',
    );
    expect(create.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const control = await as(
      'write control',
      'mutation { updateItem(id: 1, input: { label: "i1" }) { label } }',
    );
    expect(control.data).toEqual({ updateItem: { label: 'i1' } });
    const items = await as('write', '{ items { totalCount } }');
    expect(items.data).toEqual({ items: { totalCount: 3 } });
  });

  it('hides a field whose rule compares with a value the field cannot hold, on every row', async () => {
    const answer = await as(
      'field',
      '{ items { nodes { ratio } } owners { nodes { items { nodes { ratio } } } } }',
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({
      items: { nodes: [{ ratio: null }, { ratio: null }, { ratio: null }] },
      owners: {
        nodes: [
          { items: { nodes: [{ ratio: null }, { ratio: null }] } },
          { items: { nodes: [{ ratio: null }] } },
        ],
      },
    });
    const shown = await as('none', '{ items { nodes { ratio } } }');
    expect(shown.data).toEqual({ items: { nodes: [{ ratio: 1 }, { ratio: 1 }, { ratio: 1 }] } });
  });

  it('compares the date-times and dates a client may send, seconds and offsets optional', async () => {
    for (const where of [
      '{ due: { gte: "1970-01-01T00:00Z" } }',
      '{ due: { lte: "1970-01-01T01:00:00.000+0100" } }',
      '{ day: { eq: "2024-01-01" } }',
    ]) {
      const answer = await as('none', `{ items(where: ${where}) { totalCount } }`);
      expect(answer.errors, where).toBeUndefined();
      expect(answer.data, where).toEqual({ items: { totalCount: 3 } });
    }
  });

  it('refuses the same values from a client as BAD_USER_INPUT, naming the field', async () => {
    for (const where of [
      '{ ownerId: { eq: "auth0|5f1c" } }',
      '{ due: { eq: "2024-13-01T00:00:00Z" } }',
      '{ day: { eq: "2024-02-30" } }',
      '{ size: { eq: "9999999999999999999" } }',
    ]) {
      const answer = await as('none', `{ items(where: ${where}) { totalCount } }`);
      expect(answer.errors?.[0]?.extensions?.code, where).toBe('BAD_USER_INPUT');
      expect(answer.errors?.[0]?.message, where).toMatch(/"Item\.\w+" is/);
    }
  });
});
