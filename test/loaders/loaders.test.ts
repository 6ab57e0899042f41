/**
 * The loader registry on its own: which batches reach the database (counted by a StatementCounter),
 * and how rows are matched back to keys, on both drivers.
 */

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { parseKey } from '../../db/keys.ts';
import type { Row } from '../../db/prepared-rows.ts';
import { pushSchema } from '../../db/push.ts';
import { StatementCounter } from '../../db/statement-counter.ts';
import { buildTables, type ModelTable } from '../../db/tables.ts';
import { factory } from '../../factories/factory.ts';
import { createLoaders, type Loaders } from '../../loaders/registry.ts';
import { buildRelationGraph } from '../../schema/build-graph.ts';
import { field } from '../../schema/field.ts';
import type { GraphField } from '../../schema/graph.ts';
import { type Model, model } from '../../schema/model.ts';
import { belongsTo, hasMany, hasOne } from '../../schema/relation.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../support/databases.ts';
import { must } from '../support/must.ts';

const Team = model('Team', {
  fields: { id: field.id(), name: field.string(), slug: field.string({ unique: true }) },
  relations: { members: hasMany((): Model => Member), badge: hasOne((): Model => Badge) },
});
const Member = model('Member', {
  fields: { id: field.id(), name: field.string() },
  relations: { team: belongsTo(() => Team, { optional: true }) },
});
const Badge = model('Badge', {
  fields: { id: field.id(), label: field.string() },
  relations: { team: belongsTo(() => Team) },
});
const Ledger = model('Ledger', {
  fields: { id: field.id({ type: 'bigint' }), label: field.string() },
  relations: { entries: hasMany((): Model => Entry) },
});
const Entry = model('Entry', {
  fields: { id: field.id(), amount: field.int() },
  relations: { ledger: belongsTo(() => Ledger) },
});
const Device = model('Device', { fields: { id: field.id({ type: 'uuid' }), name: field.string() } });
const Bulk = model('Bulk', { table: 'bulk_rows', fields: { id: field.id(), label: field.string() } });

const tables = buildTables(buildRelationGraph([Team, Member, Badge, Ledger, Entry, Device, Bulk]));

function tableOf(name: string): ModelTable {
  const table = tables.byModel.get(name);
  if (!table) throw new Error(`test: no table for model "${name}"`);
  return table;
}

function fieldOf(modelName: string, fieldName: string): GraphField {
  const found = tableOf(modelName).model.fields.get(fieldName);
  if (!found) throw new Error(`test: no field "${modelName}.${fieldName}"`);
  return found;
}

const teamId = fieldOf('Team', 'id');
const teamSlug = fieldOf('Team', 'slug');
const memberId = fieldOf('Member', 'id');
const memberTeamId = fieldOf('Member', 'teamId');
const badgeId = fieldOf('Badge', 'id');
const badgeTeamId = fieldOf('Badge', 'teamId');
const ledgerId = fieldOf('Ledger', 'id');
const entryLedgerId = fieldOf('Entry', 'ledgerId');
const deviceId = fieldOf('Device', 'id');
const bulkId = fieldOf('Bulk', 'id');

/** Past 2^53, so a key that went through a JavaScript number would lose its last digit. */
const BIG_LEDGER = 9_007_199_254_740_993n;
const DEVICE_UUID = '6f1c2a9e-4b7d-4c1e-9a3f-0d8e5b2c7a14';
const BULK_ROWS = 70_000;

/** Members 1..100: every 10th has no team, the others are spread over teams 1-3; team 4 has none. */
const teamOfMember = (id: number) => (id % 10 === 0 ? null : (id % 3) + 1);
const membersOfTeam = (team: number) =>
  Array.from({ length: 100 }, (_, i) => i + 1).filter((id) => teamOfMember(id) === team);

/** The rows the tests read, by the factories: keys given where a test needs that very key. */
async function seed(db: Database): Promise<void> {
  const target = { db, tables };
  const teams = await factory(Team)
    .sequence(
      { id: 1, name: 'Red', slug: 'red' },
      { id: 2, name: 'Green', slug: 'green' },
      { id: 3, name: 'Blue', slug: 'blue' },
      { id: 4, name: 'Empty', slug: 'empty' },
    )
    .createMany(target, 4);
  await factory(Member)
    .merge((_, { index }) => ({
      id: index + 1,
      name: `member ${index + 1}`,
      teamId: teamOfMember(index + 1),
    }))
    .createMany(target, 100);
  await factory(Badge)
    .sequence({ id: 1, label: 'gold' }, { id: 2, label: 'silver' })
    .for('team', teams.slice(0, 2))
    .createMany(target, 2);
  const [small, big] = await factory(Ledger)
    .sequence({ id: 1n, label: 'small' }, { id: BIG_LEDGER, label: 'big' })
    .createMany(target, 2);
  await factory(Entry)
    .sequence({ id: 1, amount: 10 }, { id: 2, amount: 20 }, { id: 3, amount: 30 })
    .for('ledger', [must(big, 'big ledger'), must(small, 'small ledger'), must(big, 'big ledger')])
    .createMany(target, 3);
  await factory(Device).merge({ id: DEVICE_UUID, name: 'phone' }).create(target);
  await factory(Bulk)
    .merge((_, { index }) => ({ id: index + 1, label: `row ${index + 1}` }))
    .createMany(target, BULK_ROWS);
}

const idsOf = (rows: readonly Row[]) => rows.map((row) => row.id);

describe.each(drivers)('loader registry on %s', (driver) => {
  let database: TestDatabase;
  let counter: StatementCounter;
  let loaders: Loaders;

  /** A fresh registry, as a new request would get, counting its statements in `counter`. */
  const newRequest = (): { loaders: Loaders; counter: StatementCounter } => {
    const requestCounter = new StatementCounter();
    return {
      loaders: createLoaders(database.connection.database(requestCounter), tables),
      counter: requestCounter,
    };
  };

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    const db = database.connection.database();
    await pushSchema(db, tables);
    await seed(db);
  });
  afterAll(() => database?.drop());
  beforeEach(() => {
    ({ loaders, counter } = newRequest());
  });

  describe('one()', () => {
    it('answers 100 calls made in the same tick with one statement, each row matched to its key', async () => {
      const keys = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1);
      const rows = await Promise.all(keys.map((key) => loaders.one(memberId, key)));
      expect(counter.count).toBe(1);
      expect(rows.map((row) => row?.id)).toEqual(keys);
      expect(rows.map((row) => row?.name)).toEqual(keys.map((key) => `member ${key}`));
    });

    it('answers null for a key with no row, next to keys that have one', async () => {
      const [found, missing, alsoFound] = await Promise.all([
        loaders.one(teamId, 1),
        loaders.one(teamId, 999),
        loaders.one(teamId, 3),
      ]);
      expect(counter.count).toBe(1);
      expect(found?.name).toBe('Red');
      expect(missing).toBeNull();
      expect(alsoFound?.name).toBe('Blue');
    });

    it('answers null for a hasOne whose child row does not exist (team 3 has no badge)', async () => {
      const [gold, none] = await Promise.all([loaders.one(badgeTeamId, 1), loaders.one(badgeTeamId, 3)]);
      expect(gold?.label).toBe('gold');
      expect(none).toBeNull();
      expect(counter.count).toBe(1);
    });

    it('answers a null or undefined key with null and runs no statement', async () => {
      expect(await loaders.one(teamId, null)).toBeNull();
      expect(await loaders.one(teamId, undefined)).toBeNull();
      expect(counter.count).toBe(0);
    });

    it('treats "7", 7 and 7n as one key: one statement, the same row object', async () => {
      const [text, number, bigint] = await Promise.all([
        loaders.one(memberId, '7'),
        loaders.one(memberId, 7),
        loaders.one(memberId, 7n),
      ]);
      expect(counter.count).toBe(1);
      expect(text?.name).toBe('member 7');
      expect(number).toBe(text);
      expect(bigint).toBe(text);
    });

    it('loads by a text unique key, case-sensitively', async () => {
      const [green, wrongCase] = await Promise.all([
        loaders.one(teamSlug, 'green'),
        loaders.one(teamSlug, 'GREEN'),
      ]);
      expect(green?.id).toBe(2);
      expect(wrongCase).toBeNull();
      expect(counter.count).toBe(1);
    });
  });

  describe('many()', () => {
    it('groups the rows of several keys in one statement, in primary-key order, [] for a key without rows', async () => {
      const groups = await Promise.all([1, 2, 3, 4].map((team) => loaders.many(memberTeamId, team)));
      expect(counter.count).toBe(1);
      expect(groups.map(idsOf)).toEqual([1, 2, 3, 4].map(membersOfTeam));
      expect(groups[3]).toEqual([]);
      expect(groups.flat().every((row) => row.teamId !== null)).toBe(true);
    });

    it('answers a null or undefined key with [] and runs no statement', async () => {
      expect(await loaders.many(memberTeamId, null)).toEqual([]);
      expect(await loaders.many(memberTeamId, undefined)).toEqual([]);
      expect(counter.count).toBe(0);
    });
  });

  describe('key types', () => {
    it('loads bigint primary keys past 2^53 without losing precision, "…993" and …993n alike', async () => {
      const [big, sameBig, small, missing] = await Promise.all([
        loaders.one(ledgerId, BIG_LEDGER.toString()),
        loaders.one(ledgerId, BIG_LEDGER),
        loaders.one(ledgerId, 1n),
        loaders.one(ledgerId, BIG_LEDGER - 1n),
      ]);
      expect(counter.count).toBe(1);
      expect(big?.label).toBe('big');
      expect(big?.id).toBe(BIG_LEDGER);
      expect(sameBig).toBe(big);
      expect(small?.label).toBe('small');
      expect(missing).toBeNull();
    });

    it('groups rows by a bigint foreign key', async () => {
      const [big, small] = await Promise.all([
        loaders.many(entryLedgerId, BIG_LEDGER),
        loaders.many(entryLedgerId, '1'),
      ]);
      expect(idsOf(big)).toEqual([1, 3]);
      expect(idsOf(small)).toEqual([2]);
      expect(counter.count).toBe(1);
    });

    it('loads a uuid primary key given in upper case once parseKey has normalised it', async () => {
      const parsed = parseKey(deviceId, DEVICE_UUID.toUpperCase());
      if (!('key' in parsed)) throw new Error(`parseKey rejected a valid uuid: ${parsed.error}`);
      const [device, missing] = await Promise.all([
        loaders.one(deviceId, parsed.key),
        loaders.one(deviceId, '00000000-0000-4000-8000-000000000000'),
      ]);
      expect(device?.name).toBe('phone');
      expect(device?.id).toBe(DEVICE_UUID);
      expect(missing).toBeNull();
      expect(counter.count).toBe(1);
    });

    it('refuses a malformed uuid in parseKey, so it never reaches the database', () => {
      expect(parseKey(deviceId, 'not-a-uuid')).toEqual({ error: expect.stringContaining('"Device.id"') });
    });
  });

  it(`loads ${BULK_ROWS.toLocaleString('en')} keys in one statement (one array parameter, no 65,535 limit)`, async () => {
    const keys = Array.from({ length: BULK_ROWS + 1 }, (_, i) => i + 1);
    const rows = await Promise.all(keys.map((key) => loaders.one(bulkId, key)));
    expect(counter.count).toBe(1);
    expect(rows).toHaveLength(BULK_ROWS + 1);
    for (const index of [0, 1, 32_767, 65_535, 65_536, BULK_ROWS - 1]) {
      expect(rows[index]).toMatchObject({ id: index + 1, label: `row ${index + 1}` });
    }
    expect(rows[BULK_ROWS]).toBeNull();
    expect(rows.filter((row) => row !== null)).toHaveLength(BULK_ROWS);
  });

  describe('priming', () => {
    it('serves rows loaded by many() from the primary-key loader without a statement', async () => {
      const members = await loaders.many(memberTeamId, 2);
      expect(counter.count).toBe(1);
      const first = members[0];
      const again = await loaders.one(memberId, first?.id);
      expect(again).toBe(first);
      expect(counter.count).toBe(1);
    });

    it('still runs a statement for a row no loader has seen', async () => {
      await loaders.many(memberTeamId, 2);
      const notOnTeam2 = membersOfTeam(1)[0];
      expect((await loaders.one(memberId, notOnTeam2))?.id).toBe(notOnTeam2);
      expect(counter.count).toBe(2);
    });

    it('serves a row loaded by primary key from its unique-field loader without a statement', async () => {
      const team = await loaders.one(teamId, 3);
      expect(await loaders.one(teamSlug, 'blue')).toBe(team);
      expect(counter.count).toBe(1);
    });

    it('serves a row loaded by a hasOne foreign key from the primary-key loader without a statement', async () => {
      const badge = await loaders.one(badgeTeamId, 2);
      expect(await loaders.one(badgeId, 2)).toBe(badge);
      expect(counter.count).toBe(1);
    });

    it('primes rows handed to prime() (as a list query does)', async () => {
      const row = { id: 4, name: 'Empty', slug: 'empty' };
      loaders.prime(tableOf('Team').model, [row]);
      expect(await loaders.one(teamId, '4')).toBe(row);
      expect(await loaders.one(teamSlug, 'empty')).toBe(row);
      expect(counter.count).toBe(0);
    });
  });

  describe('per-request caches', () => {
    it('never shares rows between two registries: the second request sees a change the first cached past', async () => {
      const writer = database.connection.database();
      const team = tableOf('Team');
      const renameTeam4 = (name: string) =>
        writer.update(team.table).set({ name }).where(sql`${team.columns.id} = 4`);
      try {
        expect((await loaders.one(teamId, 4))?.name).toBe('Empty');
        await renameTeam4('Renamed');
        expect((await loaders.one(teamId, 4))?.name).toBe('Empty');
        expect(counter.count).toBe(1);

        const second = newRequest();
        expect((await second.loaders.one(teamId, 4))?.name).toBe('Renamed');
        expect(second.counter.count).toBe(1);
      } finally {
        await renameTeam4('Empty');
      }
    });
  });
});
