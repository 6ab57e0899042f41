/**
 * What a factory puts in a row: a valid value of every field kind, nulls in optional fields, unique
 * values that never collide, overrides, named states, sequences — and the same rows for the same seed,
 * on either driver.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatementCounter } from '../../db/statement-counter.ts';
import { FactoryError, factory, field, model } from '../../index.ts';
import { drivers } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const LEVELS = ['low', 'mid', 'high'] as const;
const Sample = model('Sample', {
  fields: {
    id: field.id(),
    name: field.string(),
    email: field.string({ unique: true }),
    contactEmail: field.string({ optional: true }),
    code: field.string({ minLength: 6, maxLength: 8 }),
    tag: field.string({ unique: true, maxLength: 6 }),
    note: field.text({ minLength: 20 }),
    count: field.int(),
    rank: field.int({ unique: true }),
    big: field.bigint(),
    ratio: field.float(),
    price: field.decimal(),
    active: field.boolean(),
    seenAt: field.datetime({ optional: true }),
    createdAt: field.datetime({ default: 'now' }),
    day: field.date(),
    meta: field.json(),
    ref: field.uuid(),
    level: field.enum(LEVELS),
    status: field.enum(['new', 'old'], { default: 'new' }),
  },
});
const Token = model('Token', { fields: { id: field.id({ type: 'uuid' }), label: field.string() } });
const Flag = model('Flag', {
  fields: { id: field.id(), color: field.enum(['red', 'green'], { unique: true }) },
});
const models = [Sample, Token, Flag];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(drivers)('factory values on %s', (driver) => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(driver, models);
  });
  afterAll(() => api?.close());

  it('gives every field kind a valid value, within its length limits', async () => {
    const rows = await factory(Sample).createMany(api.server, 60);
    for (const row of rows) {
      expect(row.name).toMatch(/^\S.*$/);
      expect(row.email).toMatch(/^[^@\s]+\.\d+@example\.(com|net|org)$/);
      expect(row.code.length).toBeGreaterThanOrEqual(6);
      expect(row.code.length).toBeLessThanOrEqual(8);
      expect(row.tag.length).toBeLessThanOrEqual(6);
      expect(row.note.length).toBeGreaterThanOrEqual(20);
      expect(Number.isInteger(row.count)).toBe(true);
      expect(typeof row.big).toBe('bigint');
      expect(typeof row.ratio).toBe('number');
      expect(row.price).toMatch(/^\d+\.\d{2}$/);
      expect(typeof row.active).toBe('boolean');
      // Generated relative to a fixed day, not the clock: a seed gives the same moments on every run.
      expect(row.createdAt.getTime()).toBeLessThan(Date.UTC(2026, 0, 1));
      expect(row.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(row.meta).toEqual(expect.any(Object));
      expect(row.ref).toMatch(UUID);
      expect(LEVELS).toContain(row.level);
      expect(row.status).toBe('new');
    }
    expect(new Set(rows.map((row) => row.level)).size).toBe(LEVELS.length);
    expect(new Set(rows.map((row) => row.active)).size).toBe(2);
  });

  it('leaves optional fields null in some rows and sets them in others', async () => {
    const rows = await factory(Sample).createMany(api.server, 100);
    for (const name of ['contactEmail', 'seenAt'] as const) {
      const nulls = rows.filter((row) => row[name] === null).length;
      expect(nulls).toBeGreaterThan(0);
      expect(nulls).toBeLessThan(50);
    }
  });

  it('never repeats a unique value, across calls too (sequences continue)', async () => {
    const first = await factory(Sample).createMany(api.server, 300);
    const second = await factory(Sample).createMany(api.server, 300);
    const rows = [...first, ...second];
    for (const name of ['email', 'tag', 'rank'] as const) {
      expect(new Set(rows.map((row) => row[name])).size).toBe(rows.length);
    }
  });

  it('overrides with .merge: values, or a function of the row, its index and its sequence', async () => {
    const base = factory(Sample).merge({ name: 'Ada', level: 'high' });
    const first = await base
      .merge((row, { index, sequence }) => ({ code: `${row.name}-${index}`, rank: -sequence }))
      .createMany(api.server, 3);
    expect(first.map((row) => [row.name, row.level, row.code])).toEqual([
      ['Ada', 'high', 'Ada-0'],
      ['Ada', 'high', 'Ada-1'],
      ['Ada', 'high', 'Ada-2'],
    ]);
    const second = await base.merge((_, { sequence }) => ({ rank: -sequence })).create(api.server);
    // Sequence numbers count every Sample this graph's factories made, so they continue across calls.
    expect(second.rank).toBe((first[2]?.rank ?? 0) - 1);
  });

  it('takes rows of values in turn with .sequence, starting over after the last', async () => {
    const rows = await factory(Sample)
      .sequence({ level: 'low', active: true }, { level: 'high' })
      .merge((row, { index }) => ({ code: `${row.level}-${index}` }))
      .createMany(api.server, 5);
    expect(rows.map((row) => [row.level, row.code])).toEqual([
      ['low', 'low-0'],
      ['high', 'high-1'],
      ['low', 'low-2'],
      ['high', 'high-3'],
      ['low', 'low-4'],
    ]);
    expect(rows.filter((row) => row.level === 'low').every((row) => row.active)).toBe(true);
    expect(() => factory(Sample).sequence()).toThrow(/give at least one row of values/);
  });

  it('applies named states in order after the generated values, and .merge after the states', async () => {
    const samples = factory(Sample)
      .state('quiet', () => ({ level: 'low', note: 'x'.repeat(20) }))
      .state('shouting', (row) => ({ note: row.note.toUpperCase(), level: 'high' }))
      .merge({ active: true });
    const row = await samples.apply('quiet', 'shouting').merge({ level: 'mid' }).create(api.server);
    expect([row.note, row.level, row.active]).toEqual(['X'.repeat(20), 'mid', true]);
    expect((await samples.apply('quiet').create(api.server)).level).toBe('low');
  });

  it('refuses an unknown state and an unknown field before any statement', async () => {
    const counter = new StatementCounter();
    const target = { db: api.server.connection.database(counter), tables: api.server.tables };
    const quiet = factory(Sample).state('quiet', () => ({ level: 'low' }));
    // @ts-expect-error: "quite" is not a state of this factory
    await expect(quiet.apply('quite').create(target)).rejects.toThrow(
      /no state "quite" was defined\. Did you mean "quiet"\?/,
    );
    // @ts-expect-error: "nmae" is not a field of Sample
    await expect(factory(Sample).merge({ nmae: 'x' }).create(target)).rejects.toThrow(
      /Sample has no field "nmae"\. Did you mean "name" or "note"\?/,
    );
    expect(counter.count).toBe(0);
  });

  it('gives a unique enum its values in turn, and refuses a row past the last one', async () => {
    const counter = new StatementCounter();
    const target = { db: api.server.connection.database(counter), tables: api.server.tables };
    const refusal = factory(Flag).createMany(target, 3);
    await expect(refusal).rejects.toBeInstanceOf(FactoryError);
    await expect(refusal).rejects.toThrow(
      /"Flag\.color" is unique and has 2 possible values, so row 3 cannot get a value of its own/,
    );
    expect(counter.count).toBe(0);
  });

  it('makes uuid primary keys itself, so they follow the seed too', async () => {
    const tokens = await factory(Token).createMany(api.server, 3);
    for (const token of tokens) expect(token.id).toMatch(UUID);
    expect(new Set(tokens.map((token) => token.id)).size).toBe(3);
  });
});

describe('factory seeds', () => {
  let servers: TestServer[] = [];
  beforeAll(async () => {
    servers = await Promise.all(
      (['pglite', 'postgres', 'postgres', 'pglite'] as const).map((driver) =>
        startTestServer(driver, models),
      ),
    );
  });
  afterAll(() => Promise.all(servers.map((server) => server.close())));

  /** The rows a fresh database gets from the same calls: samples, tokens, and flags. */
  async function madeWith(api: TestServer | undefined, seed: number) {
    if (!api) throw new Error('test setup: no server');
    return {
      samples: await factory(Sample).seed(seed).createMany(api.server, 25),
      tokens: await factory(Token).seed(seed).createMany(api.server, 3),
      flags: await factory(Flag).seed(seed).createMany(api.server, 2),
    };
  }

  it('gives the same rows for the same seed on PGlite and PostgreSQL, and other rows for another seed', async () => {
    const [pglite, postgres, other, second] = servers;
    const expected = await madeWith(pglite, 7);
    expect(await madeWith(postgres, 7)).toEqual(expected);
    expect(await madeWith(second, 7)).toEqual(expected);
    const changed = await madeWith(other, 8);
    expect(changed.samples.map((row) => row.email)).not.toEqual(expected.samples.map((row) => row.email));
    expect(changed.tokens.map((row) => row.id)).not.toEqual(expected.tokens.map((row) => row.id));
  });
});
