/**
 * Table and column names (issue 14, item 15): a name drizzle-kit's DDL cannot quote (`"`) is rejected
 * when the graph is built (see validation.test.ts); every name accepted — any case and letter, spaces,
 * `'`, `\`, `.`, `-`, `$` — works through push, generated migrations, reads, filters, ordering,
 * cursors and writes, on both drivers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  belongsTo,
  buildRelationGraph,
  buildTables,
  field,
  generateMigration,
  hasMany,
  type Model,
  model,
  pendingMigration,
} from '../../index.ts';
import { drivers } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const Team = model('Team', {
  table: "Équipes d'été",
  fields: { id: field.id({ column: 'ID' }), name: field.string({ column: 'Nom$', unique: true }) },
  relations: { members: hasMany((): Model => Member) },
});
const Member = model('Member', {
  table: 'legacy.Members',
  fields: {
    id: field.id(),
    fullName: field.string({ column: 'Full Name' }),
    level: field.enum(['junior', 'senior'], { column: 'back\\slash-Niveau' }),
  },
  relations: { team: belongsTo(() => Team, { column: "Team-Ref'", optional: true }) },
});
const models = [Team, Member];

let folder = '';
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'relgraph-names-'));
  await generateMigration(buildTables(buildRelationGraph(models)), folder);
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe.each(drivers)('unusual table and column names on %s', (driver) => {
  describe.each(['push', 'migrations'] as const)('prepared by %s', (how) => {
    let api: TestServer;
    const data = (query: string) => api.dataOf(query);

    beforeAll(async () => {
      api = await startTestServer(driver, models, {
        prepare: how === 'push' ? 'push' : { migrationsFolder: folder },
      });
    });
    afterAll(() => api?.close());

    it('has nothing left to migrate after the generated migration', async () => {
      expect(await pendingMigration(api.server.tables, folder)).toEqual([]);
    });

    it('writes nested rows, then filters, orders and pages by those columns', async () => {
      await data(`mutation { createTeam(input: { name: "Rouge", members: { create: [
        { fullName: "Ann", level: senior }, { fullName: "Ben", level: junior } ] } }) { id } }`);
      await data(`mutation { createTeam(input: { name: "Bleu" }) { id } }`);
      expect(
        await data(`mutation { createMember(input: { fullName: "Cy", level: junior, team: { connect: { name: "Bleu" } } }) {
          team { name } } }`),
      ).toEqual({ createMember: { team: { name: 'Bleu' } } });
      const query = `{ teams(where: { members: { some: { fullName: { startsWith: "B" } } } }) { nodes {
        name members(where: { level: { eq: junior } }, orderBy: [{ fullName: DESC }]) { totalCount nodes { fullName team { name } } } } } }`;
      expect(await data(query)).toEqual({
        teams: {
          nodes: [
            {
              name: 'Rouge',
              members: { totalCount: 1, nodes: [{ fullName: 'Ben', team: { name: 'Rouge' } }] },
            },
          ],
        },
      });
      expect(await api.statementsOf(query)).toBe(3);
      const page = (after: string) =>
        `{ members(orderBy: [{ team: { name: ASC } }, { fullName: ASC }], first: 2${after}) {
          nodes { fullName } pageInfo { endCursor } } }`;
      const first = (await data(page(''))) as { members: { pageInfo: { endCursor: string } } };
      expect(first).toMatchObject({ members: { nodes: [{ fullName: 'Cy' }, { fullName: 'Ann' }] } });
      expect(await data(page(`, after: "${first.members.pageInfo.endCursor}"`))).toMatchObject({
        members: { nodes: [{ fullName: 'Ben' }] },
      });
    });

    it('names the field of a unique violation on them', async () => {
      const result = await api.query('mutation { createTeam(input: { name: "Bleu" }) { id } }');
      expect(result.errors?.[0]).toMatchObject({
        message: 'A Team with name "Bleu" already exists (Team.name is unique).',
        extensions: { code: 'CONFLICT' },
      });
    });

    it('updates and deletes through them, following the foreign key', async () => {
      expect(
        await data('mutation { updateTeam(id: 1, input: { name: "Vert" }) { name members { totalCount } } }'),
      ).toEqual({ updateTeam: { name: 'Vert', members: { totalCount: 2 } } });
      await data('mutation { deleteTeam(id: 1) { id } }');
      expect(await data('{ members(orderBy: [{ fullName: ASC }]) { nodes { fullName teamId } } }')).toEqual({
        members: {
          nodes: [
            { fullName: 'Ann', teamId: null },
            { fullName: 'Ben', teamId: null },
            { fullName: 'Cy', teamId: '2' },
          ],
        },
      });
    });
  });
});
