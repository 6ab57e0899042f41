/**
 * Read rules on every path a client can reach a row by — lookups by key and unique field, root lists,
 * belongsTo, hasOne and hasMany, relation filters, orderings, totals — each tried by the owner, another
 * user and an anonymous viewer, on both drivers, with the exact rows each sees; and the same number of
 * SQL statements as the same query over the same models without rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AccessServer,
  type Answer,
  startAccessServer,
  VIEWERS,
  viewerNames,
} from '../support/access-fixture.ts';
import { drivers } from '../support/databases.ts';

interface Case {
  readonly path: string;
  readonly query: string;
  readonly expected: Record<keyof typeof VIEWERS, unknown>;
  /**
   * `false` where the request looks up rows by key after a list: without rules the list has read every
   * row and answers the lookups itself; with rules it has read only the readable ones, so a lookup of
   * another asks the database (under the rule) and may cost a statement more.
   */
  readonly sameStatements?: false;
}

const names = (list: string[]) => ({ nodes: list.map((name) => ({ name })) });

const CASES: Case[] = [
  {
    path: 'a lookup by primary key hides fields the viewer may not see',
    query: '{ user(id: 1) { name email joinedAt } }',
    expected: {
      owner: { user: { name: 'Ann', email: 'ann@example.com', joinedAt: '2024-01-01T00:00:00.000Z' } },
      other: { user: { name: 'Ann', email: null, joinedAt: null } },
      anonymous: { user: { name: 'Ann', email: null, joinedAt: null } },
    },
  },
  {
    path: 'a lookup by a unique field the viewer may not see finds nothing',
    query: '{ userByEmail(email: "ann@example.com") { name } }',
    expected: {
      owner: { userByEmail: { name: 'Ann' } },
      other: { userByEmail: null },
      anonymous: { userByEmail: null },
    },
  },
  {
    path: 'a lookup of a row the viewer may not read is null',
    query: '{ profile(id: 1) { bio } safe(id: 1) { code } }',
    expected: {
      owner: { profile: { bio: 'ann bio' }, safe: { code: 'ann-safe' } },
      other: { profile: null, safe: null },
      anonymous: { profile: null, safe: null },
    },
  },
  {
    path: 'a root list and its total hold only readable rows',
    query: '{ profiles { totalCount nodes { bio } } posts { totalCount nodes { title } } }',
    expected: {
      owner: {
        profiles: { totalCount: 1, nodes: [{ bio: 'ann bio' }] },
        posts: {
          totalCount: 3,
          nodes: [{ title: 'ann public' }, { title: 'ann draft' }, { title: 'ben public' }],
        },
      },
      other: {
        profiles: { totalCount: 1, nodes: [{ bio: 'ben bio' }] },
        posts: {
          totalCount: 3,
          nodes: [{ title: 'ann public' }, { title: 'ben public' }, { title: 'ben draft' }],
        },
      },
      anonymous: {
        profiles: { totalCount: 0, nodes: [] },
        posts: { totalCount: 2, nodes: [{ title: 'ann public' }, { title: 'ben public' }] },
      },
    },
  },
  {
    path: 'hasOne and belongsTo resolve to null where the related row is not readable',
    query: '{ users { nodes { name profile { bio } safe { code } } } }',
    expected: {
      owner: {
        users: {
          nodes: [
            { name: 'Ann', profile: { bio: 'ann bio' }, safe: { code: 'ann-safe' } },
            { name: 'Ben', profile: null, safe: null },
            { name: 'Cat', profile: null, safe: null },
          ],
        },
      },
      other: {
        users: {
          nodes: [
            { name: 'Ann', profile: null, safe: null },
            { name: 'Ben', profile: { bio: 'ben bio' }, safe: { code: 'ben-safe' } },
            { name: 'Cat', profile: null, safe: null },
          ],
        },
      },
      anonymous: {
        users: {
          nodes: ['Ann', 'Ben', 'Cat'].map((name) => ({ name, profile: null, safe: null })),
        },
      },
    },
  },
  {
    path: 'phone { user { profile } } cannot reveal a profile the viewer may not read',
    query: '{ phones { nodes { number user { name email profile { bio } } } } }',
    expected: {
      owner: {
        phones: {
          nodes: [
            {
              number: 'ann-phone',
              user: { name: 'Ann', email: 'ann@example.com', profile: { bio: 'ann bio' } },
            },
            { number: 'ben-phone', user: { name: 'Ben', email: null, profile: null } },
          ],
        },
      },
      other: {
        phones: {
          nodes: [
            { number: 'ann-phone', user: { name: 'Ann', email: null, profile: null } },
            {
              number: 'ben-phone',
              user: { name: 'Ben', email: 'ben@example.com', profile: { bio: 'ben bio' } },
            },
          ],
        },
      },
      anonymous: {
        phones: {
          nodes: [
            { number: 'ann-phone', user: { name: 'Ann', email: null, profile: null } },
            { number: 'ben-phone', user: { name: 'Ben', email: null, profile: null } },
          ],
        },
      },
    },
  },
  {
    path: 'a hasMany page and its total hold only readable rows, per parent',
    query: '{ users { nodes { name posts { totalCount nodes { title } } } } }',
    expected: {
      owner: {
        users: {
          nodes: [
            {
              name: 'Ann',
              posts: { totalCount: 2, nodes: [{ title: 'ann public' }, { title: 'ann draft' }] },
            },
            { name: 'Ben', posts: { totalCount: 1, nodes: [{ title: 'ben public' }] } },
            { name: 'Cat', posts: { totalCount: 0, nodes: [] } },
          ],
        },
      },
      other: {
        users: {
          nodes: [
            { name: 'Ann', posts: { totalCount: 1, nodes: [{ title: 'ann public' }] } },
            {
              name: 'Ben',
              posts: { totalCount: 2, nodes: [{ title: 'ben public' }, { title: 'ben draft' }] },
            },
            { name: 'Cat', posts: { totalCount: 0, nodes: [] } },
          ],
        },
      },
      anonymous: {
        users: {
          nodes: [
            { name: 'Ann', posts: { totalCount: 1, nodes: [{ title: 'ann public' }] } },
            { name: 'Ben', posts: { totalCount: 1, nodes: [{ title: 'ben public' }] } },
            { name: 'Cat', posts: { totalCount: 0, nodes: [] } },
          ],
        },
      },
    },
  },
  {
    path: 'a hasMany page hides fields, and filters and orders by their visible values',
    query: `{ teams { nodes { members(orderBy: [{ email: ASC }, { id: DESC }]) { totalCount nodes { name email joinedAt } }
              withEmail: members(where: { email: { isNull: false } }) { totalCount nodes { name } } } } }`,
    expected: {
      owner: {
        teams: {
          nodes: [
            {
              members: {
                totalCount: 3,
                nodes: [
                  { name: 'Ann', email: 'ann@example.com', joinedAt: '2024-01-01T00:00:00.000Z' },
                  { name: 'Cat', email: null, joinedAt: null },
                  { name: 'Ben', email: null, joinedAt: null },
                ],
              },
              withEmail: { totalCount: 1, ...names(['Ann']) },
            },
          ],
        },
      },
      other: {
        teams: {
          nodes: [
            {
              members: {
                totalCount: 3,
                nodes: [
                  { name: 'Ben', email: 'ben@example.com', joinedAt: '2024-02-01T00:00:00.000Z' },
                  { name: 'Cat', email: null, joinedAt: null },
                  { name: 'Ann', email: null, joinedAt: null },
                ],
              },
              withEmail: { totalCount: 1, ...names(['Ben']) },
            },
          ],
        },
      },
      anonymous: {
        teams: {
          nodes: [
            {
              members: {
                totalCount: 3,
                nodes: ['Cat', 'Ben', 'Ann'].map((name) => ({ name, email: null, joinedAt: null })),
              },
              withEmail: { totalCount: 0, nodes: [] },
            },
          ],
        },
      },
    },
  },
  {
    path: 'a to-one relation filter matches only readable related rows',
    query: `{ withBio: users(where: { profile: { bio: { contains: "bio" } } }) { totalCount nodes { name } }
              without: users(where: { profileExists: false }) { nodes { name } }
              safes: users(where: { safe: { code: { startsWith: "b" } } }) { nodes { name } } }`,
    expected: {
      owner: {
        withBio: { totalCount: 1, ...names(['Ann']) },
        without: names(['Ben', 'Cat']),
        safes: names([]),
      },
      other: {
        withBio: { totalCount: 1, ...names(['Ben']) },
        without: names(['Ann', 'Cat']),
        safes: names(['Ben']),
      },
      anonymous: {
        withBio: { totalCount: 0, ...names([]) },
        without: names(['Ann', 'Ben', 'Cat']),
        safes: names([]),
      },
    },
  },
  {
    path: 'a hasMany filter (some, none, every) sees only readable rows',
    query: `{ some: users(where: { posts: { some: { status: { eq: draft } } } }) { nodes { name } }
              none: users(where: { posts: { none: { status: { eq: draft } } } }) { nodes { name } }
              every: users(where: { posts: { every: { status: { eq: published } } } }) { nodes { name } } }`,
    expected: {
      owner: { some: names(['Ann']), none: names(['Ben', 'Cat']), every: names(['Ben', 'Cat']) },
      other: { some: names(['Ben']), none: names(['Ann', 'Cat']), every: names(['Ann', 'Cat']) },
      anonymous: { some: names([]), none: names(['Ann', 'Ben', 'Cat']), every: names(['Ann', 'Ben', 'Cat']) },
    },
  },
  {
    path: 'filters and orderings see a hidden field as null, through relations too',
    query: `{ byEmail: users(where: { email: { eq: "ben@example.com" } }) { totalCount nodes { name } }
              phones(where: { user: { email: { like: "%@example.com" } } }) { nodes { number } }
              ordered: phones(orderBy: [{ user: { email: DESC_NULLS_LAST } }]) { nodes { number } }
              posts(where: { author: { profile: { bio: { eq: "ann bio" } } } }) { nodes { title } } }`,
    expected: {
      owner: {
        byEmail: { totalCount: 0, nodes: [] },
        phones: { nodes: [{ number: 'ann-phone' }] },
        ordered: { nodes: [{ number: 'ann-phone' }, { number: 'ben-phone' }] },
        posts: { nodes: [{ title: 'ann public' }, { title: 'ann draft' }] },
      },
      other: {
        byEmail: { totalCount: 1, ...names(['Ben']) },
        phones: { nodes: [{ number: 'ben-phone' }] },
        ordered: { nodes: [{ number: 'ben-phone' }, { number: 'ann-phone' }] },
        posts: { nodes: [] },
      },
      anonymous: {
        byEmail: { totalCount: 0, nodes: [] },
        phones: { nodes: [] },
        ordered: { nodes: [{ number: 'ann-phone' }, { number: 'ben-phone' }] },
        posts: { nodes: [] },
      },
    },
  },
  {
    path: 'rows already read in the request answer only where they are readable',
    sameStatements: false,
    query: `{ profiles { nodes { id bio } }
              a: profile(id: 1) { bio user { profile { bio } } }
              b: profile(id: 2) { bio }
              users { nodes { profile { bio user { name } } } } }`,
    expected: {
      owner: {
        profiles: { nodes: [{ id: '1', bio: 'ann bio' }] },
        a: { bio: 'ann bio', user: { profile: { bio: 'ann bio' } } },
        b: null,
        users: {
          nodes: [
            { profile: { bio: 'ann bio', user: { name: 'Ann' } } },
            { profile: null },
            { profile: null },
          ],
        },
      },
      other: {
        profiles: { nodes: [{ id: '2', bio: 'ben bio' }] },
        a: null,
        b: { bio: 'ben bio' },
        users: {
          nodes: [
            { profile: null },
            { profile: { bio: 'ben bio', user: { name: 'Ben' } } },
            { profile: null },
          ],
        },
      },
      anonymous: {
        profiles: { nodes: [] },
        a: null,
        b: null,
        users: { nodes: [{ profile: null }, { profile: null }, { profile: null }] },
      },
    },
  },
];

describe.each(drivers)('read rules on %s', (driver) => {
  let ruled: AccessServer;
  let open: AccessServer;
  beforeAll(async () => {
    [ruled, open] = await Promise.all([startAccessServer(driver), startAccessServer(driver, false)]);
  });
  afterAll(async () => {
    await ruled?.api.close();
    await open?.api.close();
  });

  describe.each(CASES)('$path', ({ query, expected, sameStatements }) => {
    it.each(viewerNames)(
      `as the %s viewer: exactly its rows${sameStatements === false ? '' : ', in as many statements as without rules'}`,
      async (viewer) => {
        const answer = await ruled.as(VIEWERS[viewer], query);
        expect(answer.errors).toBeUndefined();
        expect(answer.data).toEqual(expected[viewer]);
        if (sameStatements === false) return;
        const unruled = await open.as(VIEWERS[viewer], query);
        expect(unruled.errors).toBeUndefined();
        expect(answer.extensions?.sql?.statements).toBe(unruled.extensions?.sql?.statements);
      },
    );
  });

  it('loads users with every relation in one statement per level, rules on', async () => {
    const query =
      '{ users { nodes { email phone { number } profile { bio } safe { code } posts { nodes { title } } } } }';
    for (const viewer of viewerNames) {
      const answer: Answer = await ruled.as(VIEWERS[viewer], query);
      expect(answer.errors).toBeUndefined();
      // users, phones, profiles, safes, post pages
      expect(answer.extensions?.sql?.statements).toBe(5);
    }
  });

  it('a hidden non-null field is an error naming the field; the rest of the row still resolves', async () => {
    const query = '{ users { nodes { name } } user(id: 2) { name pin } }';
    const owner = await ruled.as('2', query);
    expect(owner.errors).toBeUndefined();
    expect(owner.data?.user).toEqual({ name: 'Ben', pin: '2222' });
    for (const viewer of [VIEWERS.owner, VIEWERS.anonymous]) {
      const answer = await ruled.as(viewer, query);
      // A field error beside data: the response is still a 200, so HTTP clients keep the data.
      expect(answer.status).toBe(200);
      expect(answer.data).toEqual({ users: names(['Ann', 'Ben', 'Cat']), user: null });
      expect(answer.errors).toHaveLength(1);
      expect(answer.errors?.[0]).toMatchObject({
        message: 'User.pin is hidden from you by its access rule; leave it out of the selection.',
        path: ['user', 'pin'],
        extensions: { code: 'FORBIDDEN', model: 'User', field: 'pin' },
      });
    }
  });

  it('answers viewers in turn through the same cached statements, each with its own rows', async () => {
    // Four viewers in turn, twice: one rule shape, so one prepared statement, with each viewer's value.
    for (let round = 0; round < 2; round++) {
      for (const id of ['1', '2', '3', '4']) {
        const answer = await ruled.as(id, '{ profiles { nodes { bio } } }');
        const expected = { '1': ['ann bio'], '2': ['ben bio'], '3': ['cat bio'], '4': [] }[id];
        const profiles = answer.data?.profiles as { nodes: Array<{ bio: string }> } | undefined;
        expect(profiles?.nodes.map((node) => node.bio)).toEqual(expected);
      }
    }
  });
});
