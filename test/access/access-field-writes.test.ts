/**
 * Field write rules (`access.fields.<name>.create/update`): a member may not set `Member.teamId`,
 * whichever path sets it — the key, the `team` relation, the team's side of the link, a nested
 * write — and is answered FORBIDDEN naming the field and the input path, with nothing written. An
 * admin may. Teams and badges have no rules at all, so the field rule is the only thing that refuses.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { belongsTo, field, hasMany, model } from '../../index.ts';
import type { Viewer } from '../../schema/access-rules.ts';
import type { RelgraphServer } from '../../server/create-server.ts';
import { drivers } from '../support/databases.ts';
import { rowsOf, sqlRows } from '../support/row-counts.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { headerViewer, insertRows, requestAs } from '../support/viewer-requests.ts';

const admins = ({ viewer }: { viewer: Viewer | null }) => viewer?.admin === true;

const Team = model('Team', {
  fields: { id: field.id(), name: field.string({ unique: true }) },
  relations: { members: hasMany('Member') },
});

const Member = model('Member', {
  fields: { id: field.id(), name: field.string(), pin: field.string({ optional: true }) },
  relations: { team: belongsTo(() => Team, { optional: true }) },
  access: {
    fields: {
      teamId: { create: admins, update: admins },
      // A hidden field makes members' writes take the guarded path (locate, then check).
      pin: { read: admins },
    },
  },
});

const Badge = model('Badge', {
  fields: { id: field.id(), label: field.string() },
  relations: { member: belongsTo(() => Member) },
});

async function seed(server: RelgraphServer) {
  const insert = (name: string, rows: Array<Record<string, unknown>>) => insertRows(server, name, rows);
  await insert('Team', [{ name: 'red' }, { name: 'blue' }]);
  await insert('Member', [
    { name: 'ann', teamId: 1 },
    { name: 'ben', teamId: null },
  ]);
  await insert('Badge', [{ label: 'first', memberId: 1 }]);
}

/** Mutation → the input path its refusal names. */
const REFUSED: ReadonlyArray<readonly [string, string]> = [
  ['createMember(input: { name: "x", teamId: 1 }) { id }', 'input.teamId'],
  ['createMember(input: { name: "x", team: { connect: { name: "red" } } }) { id }', 'input.team'],
  ['createMember(input: { name: "x", team: { create: { name: "green" } } }) { id }', 'input.team'],
  [
    'createMember(input: { name: "x", team: { connectOrCreate: { where: { name: "red" }, create: { name: "red" } } } }) { id }',
    'input.team',
  ],
  ['updateMember(id: 1, input: { teamId: 2 }) { id }', 'input.teamId'],
  ['updateMember(id: 1, input: { team: { disconnect: true } }) { id }', 'input.team'],
  ['updateMember(id: 2, input: { team: { connect: { name: "red" } } }) { id }', 'input.team'],
  [
    'createTeam(input: { name: "teal", members: { create: [{ name: "m" }] } }) { id }',
    'input.members.create[0]',
  ],
  ['updateTeam(id: 2, input: { members: { connect: [{ id: 1 }] } }) { id }', 'input.members.connect[0]'],
  [
    'updateTeam(id: 1, input: { members: { disconnect: [{ id: 1 }] } }) { id }',
    'input.members.disconnect[0]',
  ],
  [
    'updateTeam(id: 2, input: { members: { connectOrCreate: [{ where: { id: 2 }, create: { name: "m" } }] } }) { id }',
    'input.members.connectOrCreate[0]',
  ],
  [
    'updateBadge(id: 1, input: { member: { update: { team: { connect: { name: "blue" } } } } }) { id }',
    'input.member.update.team',
  ],
];

describe.each(drivers)('field write rules on %s', (driver) => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(driver, [Team, Member, Badge], {
      seed,
      authenticate: headerViewer((id) => ({ admin: id === 'admin' })),
    });
  });
  afterAll(() => api?.close());

  const as = (viewer: string | null, query: string) => requestAs(api.server, viewer, query);

  const snapshot = async () => ({
    teams: await rowsOf(api.server, 'Team'),
    members: await rowsOf(api.server, 'Member'),
  });

  it.each(REFUSED)('refuses a member %s, naming %s, and writes nothing', async (mutation, path) => {
    const before = await snapshot();
    const answer = await as('2', `mutation { ${mutation} }`);
    const operation = mutation.startsWith('createMember') || path.includes('.create[') ? 'create' : 'update';
    const doing = operation === 'create' ? 'creating' : 'updating';
    expect(answer.errors?.[0]).toMatchObject({
      message: `${path}: the access rule of Member.teamId does not allow you to set it when ${doing} a Member.`,
      extensions: { code: 'FORBIDDEN', path, model: 'Member', field: 'teamId', operation },
    });
    expect(await snapshot()).toEqual(before);
  });

  it('tells an anonymous viewer to sign in', async () => {
    const answer = await as(null, 'mutation { updateMember(id: 1, input: { teamId: 2 }) { id } }');
    expect(answer.errors?.[0]?.message).toBe(
      'input.teamId: the access rule of Member.teamId does not allow an anonymous viewer to set it when updating a Member; sign in first.',
    );
  });

  it('lets a member write what does not set the field', async () => {
    const answer = await as(
      '2',
      `mutation { a: createMember(input: { name: "solo" }) { name team { name } }
                  b: updateMember(id: 1, input: { name: "ann b", team: { update: { name: "red" } } }) { name team { name } } }`,
    );
    expect(answer).toEqual({
      data: {
        a: { name: 'solo', team: null },
        b: { name: 'ann b', team: { name: 'red' } },
      },
    });
  });

  it('lets an admin set it on every path', async () => {
    for (const [mutation] of REFUSED) {
      // Each from the seeded links: ann in red, ben in no team.
      await sqlRows(api.server, sql`update members set team_id = case when id = 1 then 1 end where id <= 2`);
      const answer = await as('admin', `mutation { ${mutation} }`);
      expect({ mutation, errors: answer.errors }).toEqual({ mutation, errors: undefined });
    }
    const teams = new Map((await rowsOf(api.server, 'Team')).map((team) => [team.id, team.name]));
    const members = await rowsOf(api.server, 'Member');
    expect(members.filter((member) => member.name === 'x').map((member) => teams.get(member.teamId))).toEqual(
      ['red', 'red', 'green', 'red'],
    );
  });
});
