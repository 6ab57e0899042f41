/**
 * `<Model>Where` on small hand-made data: every operator by type, `and`/`or`/`not`, to-one and hasMany
 * relation filters, and hostile values — each against rows whose right answer is written out below.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopedStatementLogger } from '../../db/statement-counter.ts';
import { belongsTo, factory, field, hasMany, hasOne, type Model, model, type Row } from '../../index.ts';
import type { RelgraphServer } from '../../server/create-server.ts';
import { drivers } from '../support/databases.ts';
import { must } from '../support/must.ts';
import { rowCounts } from '../support/row-counts.ts';
import { type GraphQLResponse, startTestServer, type TestServer } from '../support/test-server.ts';

const Team = model('Team', {
  fields: { id: field.id(), title: field.string() },
  relations: { users: hasMany((): Model => User) },
});
const User = model('User', {
  fields: {
    id: field.id(),
    name: field.string(),
    nick: field.string({ optional: true }),
    rank: field.int({ optional: true }),
    ratio: field.float(),
    active: field.boolean(),
    tier: field.enum(['gold', 'silver'], { optional: true }),
    joinedAt: field.datetime({ optional: true }),
  },
  relations: {
    badge: hasOne((): Model => Badge),
    team: belongsTo((): Model => Team, { optional: true }),
    tasks: hasMany((): Model => Task),
  },
});
const Badge = model('Badge', {
  fields: { id: field.id(), code: field.string() },
  relations: { user: belongsTo((): Model => User) },
});
const Task = model('Task', {
  fields: {
    id: field.id(),
    label: field.string(),
    done: field.boolean(),
    points: field.int({ optional: true }),
  },
  relations: { user: belongsTo((): Model => User) },
});
/** Stand-alone rows holding the hostile values. */
const Snippet = model('Snippet', { fields: { id: field.id(), name: field.string(), body: field.text() } });

const day = (month: number) => new Date(Date.UTC(2024, month - 1, 10));
// Ids 1..8 in this order, so primary-key order is alphabetical.
const USERS = [
  { name: 'ann', nick: 'a_b', rank: 1, ratio: 0.5, active: true, tier: 'gold', joinedAt: day(1) },
  { name: 'ben', nick: 'axb', rank: 2, ratio: 1.25, active: false, tier: 'silver', joinedAt: day(2) },
  { name: 'cat', nick: '50%', rank: 3, ratio: 2.5, active: true, tier: null, joinedAt: null },
  { name: 'dan', nick: '500', rank: null, ratio: -1.5, active: false, tier: 'gold', joinedAt: day(3) },
  { name: 'eve', nick: null, rank: 5, ratio: 0, active: true, tier: 'silver', joinedAt: day(4) },
  { name: 'fay', nick: 'Ann', rank: 6, ratio: 3.75, active: true, tier: null, joinedAt: day(5) },
  { name: 'gus', nick: 'a%b', rank: 7, ratio: 10, active: false, tier: 'gold', joinedAt: day(6) },
  { name: 'hal', nick: 'A_B', rank: null, ratio: 0.5, active: true, tier: null, joinedAt: day(1) },
] satisfies Array<Partial<Row<typeof User>>>;
const TEAMS: Record<string, string[]> = {
  red: ['ann', 'ben'],
  blue: ['cat', 'eve'],
  green: ['gus', 'hal'],
  gray: [],
};
const BADGES: Record<string, string> = { ann: 'B-100', ben: 'B-200', dan: 'C-300', eve: 'B-400', gus: 'X-1' };
const TASKS: Array<[label: string, user: string, done: boolean, points: number | null]> = [
  ['t1', 'ann', true, 5],
  ['t2', 'ann', true, 3],
  ['t3', 'ben', false, 1],
  ['t4', 'dan', true, null],
  ['t5', 'eve', false, 0],
  ['t6', 'eve', true, 2],
  ['t7', 'fay', true, 4],
  ['t8', 'hal', false, null],
];
const DROP_USERS = "'; DROP TABLE users; --";
const LONG = 'x'.repeat(100_000);
const SNIPPETS: Record<string, string> = {
  percent: '50%',
  digits: '500',
  more: '5000',
  underscore: 'a_b',
  x: 'axb',
  backslash: 'a\\b',
  quote: "it's",
  doubleQuote: 'say "hi"',
  dropUsers: DROP_USERS,
  dropSnippets: "'; DROP TABLE snippets; --",
  both: '100%_sure',
  long: LONG,
  longY: `${'x'.repeat(99_999)}y`,
};

/** Teams 1..4 and users 1..8 in the order above (the ids a fresh database gives them), by the factories. */
async function seed(server: RelgraphServer) {
  const teams = await factory(Team)
    .sequence(...Object.keys(TEAMS).map((title) => ({ title })))
    .createMany(server, Object.keys(TEAMS).length);
  const teamOf = (user: string) =>
    teams[Object.values(TEAMS).findIndex((names) => names.includes(user))]?.id ?? null;
  const users = await factory(User)
    .sequence(...USERS.map((user) => ({ ...user, teamId: teamOf(user.name) })))
    .createMany(server, USERS.length);
  const named = (name: string) =>
    must(
      users.find((user) => user.name === name),
      `user ${name}`,
    );
  await factory(Badge)
    .sequence(...Object.values(BADGES).map((code) => ({ code })))
    .for('user', Object.keys(BADGES).map(named))
    .createMany(server, Object.keys(BADGES).length);
  await factory(Task)
    .sequence(...TASKS.map(([label, , done, points]) => ({ label, done, points })))
    .for(
      'user',
      TASKS.map(([, user]) => named(user)),
    )
    .createMany(server, TASKS.length);
  await factory(Snippet)
    .sequence(...Object.entries(SNIPPETS).map(([name, body]) => ({ name, body })))
    .createMany(server, Object.keys(SNIPPETS).length);
}

interface Statement {
  readonly query: string;
  readonly params: unknown[];
}

/** Records every statement (text and parameters) requests run from now on, in this test process. */
function recordStatements(): Statement[] {
  const statements: Statement[] = [];
  const count = scopedStatementLogger.logQuery.bind(scopedStatementLogger);
  scopedStatementLogger.logQuery = (query, params) => {
    count(query, params);
    statements.push({ query, params });
  };
  return statements;
}

const LABELS = { users: 'name', teams: 'title', badges: 'code', tasks: 'label', snippets: 'name' } as const;
type List = keyof typeof LABELS;
/** `users` → `UserWhere`. */
const whereType = (list: List) => `${list[0]?.toUpperCase()}${list.slice(1, -1)}Where`;

describe.each(drivers)('list filters on %s', (driver) => {
  let api: TestServer;
  let statements: Statement[];
  beforeAll(async () => {
    api = await startTestServer(driver, [Team, User, Badge, Task, Snippet], { seed });
    statements = recordStatements();
  });
  afterAll(() => api?.close());

  const run = (list: List, where: unknown): Promise<GraphQLResponse> =>
    api.query(
      `query ($where: ${whereType(list)}) { ${list}(where: $where, first: 100) { totalCount nodes { ${LABELS[list]} } } }`,
      { where },
    );

  /** The labels of the matching rows (in primary-key order); the total must agree with the page. */
  async function matching(list: List, where: unknown): Promise<string[]> {
    const result = await run(list, where);
    expect(result.errors).toBeUndefined();
    const page = result.data?.[list] as { totalCount: number; nodes: Array<Record<string, string>> };
    const labels = page.nodes.map((node) => String(node[LABELS[list]]));
    expect(page.totalCount).toBe(labels.length);
    return labels;
  }

  const ALL = USERS.map((user) => user.name);
  const except = (...names: string[]) => ALL.filter((name) => !names.includes(name));

  describe('field operators', () => {
    it.each([
      ['String eq', { name: { eq: 'cat' } }, ['cat']],
      ['String ne (rows without a value differ from it too)', { nick: { ne: 'axb' } }, except('ben')],
      ['String in', { name: { in: ['ann', 'eve', 'zed'] } }, ['ann', 'eve']],
      ['String notIn', { name: { notIn: ['ann', 'eve'] } }, except('ann', 'eve')],
      ['String lt', { name: { lt: 'cat' } }, ['ann', 'ben']],
      ['String lte', { name: { lte: 'cat' } }, ['ann', 'ben', 'cat']],
      ['String gt', { name: { gt: 'fay' } }, ['gus', 'hal']],
      ['String gte', { name: { gte: 'fay' } }, ['fay', 'gus', 'hal']],
      ['like (_ is one character, case-sensitive)', { nick: { like: 'a_b' } }, ['ann', 'ben', 'gus']],
      ['ilike (case-insensitive)', { nick: { ilike: 'a_b' } }, ['ann', 'ben', 'gus', 'hal']],
      ['like with %', { nick: { like: '5%' } }, ['cat', 'dan']],
      ['startsWith', { nick: { startsWith: 'a' } }, ['ann', 'ben', 'gus']],
      ['contains', { nick: { contains: 'n' } }, ['fay']],
      ['String isNull: true', { nick: { isNull: true } }, ['eve']],
      ['String isNull: false', { nick: { isNull: false } }, except('eve')],
      ['isNull: true on a required field', { name: { isNull: true } }, []],
      ['two operators on one field (both hold)', { rank: { gte: 2, lte: 5 } }, ['ben', 'cat', 'eve']],
      ['Int eq', { rank: { eq: 3 } }, ['cat']],
      ['Int ne', { rank: { ne: 3 } }, except('cat')],
      ['Int in', { rank: { in: [1, 5, 99] } }, ['ann', 'eve']],
      ['Int notIn', { rank: { notIn: [1, 2], isNull: false } }, ['cat', 'eve', 'fay', 'gus']],
      ['Int lt', { rank: { lt: 3 } }, ['ann', 'ben']],
      ['Int lte', { rank: { lte: 3 } }, ['ann', 'ben', 'cat']],
      ['Int gt', { rank: { gt: 5 } }, ['fay', 'gus']],
      ['Int gte', { rank: { gte: 5 } }, ['eve', 'fay', 'gus']],
      ['Int isNull', { rank: { isNull: true } }, ['dan', 'hal']],
      ['Float eq', { ratio: { eq: 0.5 } }, ['ann', 'hal']],
      ['Float lt', { ratio: { lt: 0 } }, ['dan']],
      ['Float gte', { ratio: { gte: 2.5 } }, ['cat', 'fay', 'gus']],
      ['Float in', { ratio: { in: [1.25, 10] } }, ['ben', 'gus']],
      ['Boolean eq', { active: { eq: true } }, ['ann', 'cat', 'eve', 'fay', 'hal']],
      ['Boolean ne', { active: { ne: true } }, ['ben', 'dan', 'gus']],
      ['enum eq', { tier: { eq: 'gold' } }, ['ann', 'dan', 'gus']],
      ['enum ne', { tier: { ne: 'gold' } }, ['ben', 'cat', 'eve', 'fay', 'hal']],
      ['enum in', { tier: { in: ['silver'] } }, ['ben', 'eve']],
      ['enum notIn', { tier: { notIn: ['gold'], isNull: false } }, ['ben', 'eve']],
      ['enum isNull', { tier: { isNull: true } }, ['cat', 'fay', 'hal']],
      ['DateTime eq', { joinedAt: { eq: '2024-01-10T00:00:00.000Z' } }, ['ann', 'hal']],
      ['DateTime gt', { joinedAt: { gt: '2024-03-10T00:00:00Z' } }, ['eve', 'fay', 'gus']],
      ['DateTime lte', { joinedAt: { lte: '2024-02-10T00:00:00Z' } }, ['ann', 'ben', 'hal']],
      ['DateTime lt with an offset', { joinedAt: { lt: '2024-02-10T01:00:00+01:00' } }, ['ann', 'hal']],
      ['DateTime isNull', { joinedAt: { isNull: true } }, ['cat']],
      ['ID eq', { id: { eq: '3' } }, ['cat']],
      ['ID in', { id: { in: ['2', '4', '999'] } }, ['ben', 'dan']],
      ['ID gt', { id: { gt: '6' } }, ['gus', 'hal']],
      ['foreign key isNull', { teamId: { isNull: true } }, ['dan', 'fay']],
      ['empty where', {}, ALL],
    ])('%s', async (_, where, expected) => {
      expect(await matching('users', where)).toEqual(expected);
    });

    it('counts a row without a value as not in the list, as ne and not do', async () => {
      expect(await matching('users', { rank: { ne: 3 } })).toEqual(except('cat'));
      expect(await matching('users', { not: { rank: { in: [3] } } })).toEqual(except('cat'));
      expect(await matching('users', { rank: { notIn: [3] } })).toEqual(except('cat'));
      expect(await matching('users', { nick: { notIn: ['axb'] } })).toEqual(except('ben'));
    });

    it('answers in: [] with no rows and notIn: [] with every row', async () => {
      expect(await matching('users', { rank: { in: [] } })).toEqual([]);
      expect(await matching('users', { rank: { notIn: [] } })).toEqual(ALL);
    });

    it.each([
      ['eq: null', { name: { eq: null } }, /isNull/],
      ['an ID that is not an integer', { id: { eq: 'abc' } }, /User\.id/],
      ['an ID past 32 bits in a list', { id: { in: ['1', '99999999999'] } }, /User\.id/],
    ])('refuses %s with BAD_USER_INPUT before any statement', async (_, where, message) => {
      const result = await run('users', where);
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors?.[0]?.message).toMatch(message);
      expect(result.extensions?.sql?.statements).toBe(0);
    });
  });

  describe('and, or, not', () => {
    it.each([
      ['and', { and: [{ rank: { gt: 1 } }, { active: { eq: true } }] }, ['cat', 'eve', 'fay']],
      ['or', { or: [{ name: { eq: 'ann' } }, { tier: { eq: 'silver' } }] }, ['ann', 'ben', 'eve']],
      ['not', { not: { active: { eq: true } } }, ['ben', 'dan', 'gus']],
      ['not over a null (its condition fails)', { not: { rank: { gt: 2 } } }, ['ann', 'ben', 'dan', 'hal']],
      [
        'not of or',
        { not: { or: [{ tier: { eq: 'gold' } }, { rank: { isNull: true } }] } },
        ['ben', 'cat', 'eve', 'fay'],
      ],
      [
        'or beside a field condition',
        { active: { eq: true }, or: [{ rank: { lt: 2 } }, { rank: { gt: 5 } }] },
        ['ann', 'fay'],
      ],
      [
        'or of ands',
        { or: [{ and: [{ tier: { eq: 'gold' } }, { active: { eq: true } }] }, { name: { eq: 'hal' } }] },
        ['ann', 'hal'],
      ],
      ['and: [] (holds for every row)', { and: [] }, ALL],
      ['or: [] (holds for no row)', { or: [] }, []],
      ['not: {} (negates a condition every row meets)', { not: {} }, []],
      ['or: [] beside a field condition', { name: { eq: 'ann' }, or: [] }, []],
    ])('%s', async (_, where, expected) => {
      expect(await matching('users', where)).toEqual(expected);
    });
  });

  describe('relation filters', () => {
    it.each([
      ['belongsTo: the linked row matches', 'users', { team: { title: { eq: 'red' } } }, ['ann', 'ben']],
      ['belongsTo Exists: false', 'users', { teamExists: false }, ['dan', 'fay']],
      ['belongsTo Exists: true', 'users', { teamExists: true }, except('dan', 'fay')],
      ['belongsTo with an empty Where (a row is linked)', 'users', { team: {} }, except('dan', 'fay')],
      ['hasOne matches', 'users', { badge: { code: { startsWith: 'B-' } } }, ['ann', 'ben', 'eve']],
      ['hasOne Exists: false', 'users', { badgeExists: false }, ['cat', 'fay', 'hal']],
      [
        'not of a hasOne (rows without one count as not matching)',
        'users',
        { not: { badge: { code: { startsWith: 'B-' } } } },
        ['cat', 'dan', 'fay', 'gus', 'hal'],
      ],
      ['hasMany some', 'users', { tasks: { some: { done: { eq: true } } } }, ['ann', 'dan', 'eve', 'fay']],
      [
        'hasMany every (true without rows)',
        'users',
        { tasks: { every: { done: { eq: true } } } },
        ['ann', 'cat', 'dan', 'fay', 'gus'],
      ],
      [
        'hasMany every (a null value fails the condition)',
        'users',
        { tasks: { every: { points: { gt: 0 } } } },
        ['ann', 'ben', 'cat', 'fay', 'gus'],
      ],
      ['hasMany none', 'users', { tasks: { none: { points: { gte: 4 } } } }, except('ann', 'fay')],
      ['hasMany none: {} (no rows at all)', 'users', { tasks: { none: {} } }, ['cat', 'gus']],
      ['hasMany some: {} (any row)', 'users', { tasks: { some: {} } }, except('cat', 'gus')],
      [
        'hasMany some and none together',
        'users',
        { tasks: { some: { done: { eq: true } }, none: { done: { eq: false } } } },
        ['ann', 'dan', 'fay'],
      ],
      [
        'relation filters inside or',
        'users',
        { or: [{ teamExists: false }, { badge: { code: { eq: 'B-100' } } }] },
        ['ann', 'dan', 'fay'],
      ],
      [
        'every: an empty team counts',
        'teams',
        { users: { every: { active: { eq: true } } } },
        ['blue', 'gray'],
      ],
      ['hasMany some on teams', 'teams', { users: { some: { tier: { eq: 'gold' } } } }, ['red', 'green']],
      ['two to-one levels', 'tasks', { user: { team: { title: { eq: 'blue' } } } }, ['t5', 't6']],
      ['Exists one level down', 'tasks', { user: { badgeExists: false } }, ['t7', 't8']],
      [
        'hasMany in hasMany',
        'teams',
        { users: { some: { tasks: { some: { points: { gte: 5 } } } } } },
        ['red'],
      ],
      ['hasMany below belongsTo', 'badges', { user: { tasks: { none: {} } } }, ['X-1']],
    ] as const)('%s', async (_, list, where, expected) => {
      expect(await matching(list, where)).toEqual(expected);
    });

    it('compiles every operator into the one statement, values bound as parameters and relations as EXISTS', async () => {
      statements.length = 0;
      const where = {
        name: { eq: 'qqq1' },
        nick: { in: ['qqq2'], like: 'qqq3%', startsWith: 'qqq4', contains: 'qqq5' },
        rank: { gt: 987654 },
        ratio: { lt: 123.456 },
        joinedAt: { lt: '2031-05-05T00:00:00Z' },
        team: { title: { ne: 'qqq6' } },
        tasks: { every: { label: { notIn: ['qqq7'] } } },
        or: [{ badge: { code: { ilike: 'qqq8' } } }, { not: { tier: { eq: 'silver' } } }],
      };
      expect(await matching('users', where)).toEqual([]);
      expect(statements).toHaveLength(2);
      for (const { query, params } of statements) {
        expect(query.match(/exists \(/gi)).toHaveLength(3);
        expect(query).not.toMatch(/qqq|987654|123\.456|2031|silver/);
        expect(JSON.stringify(params)).toMatch(
          /qqq1.*qqq2.*qqq3%.*qqq4.*qqq5.*987654.*123\.456.*2031.*qqq6.*qqq7.*qqq8.*silver/,
        );
      }
    });
  });

  describe('hostile values', () => {
    let before: Record<string, number>;
    beforeAll(async () => {
      before = await rowCounts(api.server);
    });

    /** Every table is still there with the rows it had. */
    async function expectDatabaseIntact() {
      expect(await rowCounts(api.server)).toEqual(before);
      expect(before).toMatchObject({ User: 8, Snippet: Object.keys(SNIPPETS).length });
    }

    it.each([
      ['contains "50%" (a literal %)', { body: { contains: '50%' } }, ['percent']],
      ['contains "%"', { body: { contains: '%' } }, ['percent', 'both']],
      ['contains "_"', { body: { contains: '_' } }, ['underscore', 'both']],
      ['startsWith "a_b" (a literal _)', { body: { startsWith: 'a_b' } }, ['underscore']],
      ['startsWith "a\\" (a literal backslash)', { body: { startsWith: 'a\\' } }, ['backslash']],
      ['contains a backslash', { body: { contains: '\\' } }, ['backslash']],
      ['eq with a single quote', { body: { eq: "it's" } }, ['quote']],
      ['contains a single quote', { body: { contains: "'" } }, ['quote', 'dropUsers', 'dropSnippets']],
      ['eq with double quotes', { body: { eq: 'say "hi"' } }, ['doubleQuote']],
      ['eq with an injection', { body: { eq: DROP_USERS } }, ['dropUsers']],
      [
        'in with injections',
        { body: { in: [DROP_USERS, "'; DROP TABLE snippets; --", "' OR '1'='1"] } },
        ['dropUsers', 'dropSnippets'],
      ],
      ['like with an injection', { body: { like: "'; DROP TABLE %" } }, ['dropUsers', 'dropSnippets']],
      ['ilike with an injection', { body: { ilike: '%drop table%' } }, ['dropUsers', 'dropSnippets']],
      ['ne with an injection', { name: { ne: "' OR 1=1 --" }, body: { eq: '500' } }, ['digits']],
      ['eq with 100,000 characters', { body: { eq: LONG } }, ['long']],
      ['contains 100,000 characters', { body: { contains: LONG } }, ['long']],
      ['startsWith 99,999 characters', { body: { startsWith: 'x'.repeat(99_999) } }, ['long', 'longY']],
      ['ne with 100,000 characters', { body: { ne: LONG }, name: { startsWith: 'long' } }, ['longY']],
    ])('%s matches exactly the right rows and leaves the database intact', async (_, where, expected) => {
      expect(await matching('snippets', where)).toEqual(expected);
      await expectDatabaseIntact();
    });

    it('binds a hostile value inside a relation filter as a parameter', async () => {
      expect(await matching('users', { badge: { code: { eq: "'; DROP TABLE badges; --" } } })).toEqual([]);
      expect(
        await matching('users', { tasks: { some: { label: { in: ["t1'; DROP TABLE tasks; --", 't3'] } } } }),
      ).toEqual(['ben']);
      await expectDatabaseIntact();
    });

    it('reads an injection written inline in the query as a plain string', async () => {
      const result = await api.query(
        `{ snippets(where: { body: { eq: "'; DROP TABLE users; --" } }) { nodes { name } } }`,
      );
      expect(result.data).toEqual({ snippets: { nodes: [{ name: 'dropUsers' }] } });
      const escaped = await api.query(
        '{ snippets(where: { body: { eq: "say \\"hi\\"" } }) { nodes { name } } }',
      );
      expect(escaped.data).toEqual({ snippets: { nodes: [{ name: 'doubleQuote' }] } });
      await expectDatabaseIntact();
    });

    it('finds a literal value among 5,000 in one array parameter', async () => {
      statements.length = 0;
      const values = [...Array.from({ length: 4_999 }, (_, i) => `'; DROP TABLE users; -- ${i}`), '50%'];
      expect(await matching('snippets', { body: { in: values } })).toEqual(['percent']);
      expect(statements.every((statement) => statement.params.length < 10)).toBe(true);
      await expectDatabaseIntact();
    });

    it.each([
      ['a LIKE pattern ending in a backslash', { body: { like: 'a\\' } }],
      ['a NUL character', { body: { eq: 'a\u0000b' } }],
    ])('answers %s with no rows or BAD_USER_INPUT, never an internal error', async (_, where) => {
      const result = await run('snippets', where);
      if (result.errors) {
        expect([...new Set(result.errors.map((error) => error.extensions?.code))]).toEqual([
          'BAD_USER_INPUT',
        ]);
      } else {
        expect(result.data).toEqual({ snippets: { totalCount: 0, nodes: [] } });
      }
      await expectDatabaseIntact();
    });
  });
});
