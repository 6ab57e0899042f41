/**
 * Write rules, top-level and nested: each write tried by the anonymous viewer, another user and the
 * owner (in that order, the owner's usually succeeding), on both drivers. A refused write is FORBIDDEN,
 * a row the viewer may not read is NOT_FOUND, and neither leaves anything written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessServer, type Answer, startAccessServer } from '../support/access-fixture.ts';
import { drivers } from '../support/databases.ts';
import { rowCounts, rowsOf } from '../support/row-counts.ts';

type Outcome = 'ok' | 'FORBIDDEN' | 'NOT_FOUND';

interface WriteCase {
  readonly write: string;
  readonly mutation: string;
  /** Viewer (`null`: anonymous) → what it gets; tried in this order. */
  readonly outcomes: ReadonlyArray<readonly [string | null, Outcome]>;
  /** What the successful write answered, when one does. */
  readonly answer?: unknown;
}

const CASES: WriteCase[] = [
  {
    write: 'a create whose filter must hold for the new row (authorId is the viewer)',
    mutation:
      '{ createPost(input: { title: "ann new", status: draft, author: { connect: { id: 1 } } }) { title author { name } } }',
    outcomes: [
      [null, 'FORBIDDEN'],
      ['2', 'FORBIDDEN'],
      ['1', 'ok'],
    ],
    answer: { createPost: { title: 'ann new', author: { name: 'Ann' } } },
  },
  {
    write: 'a create rule that checks the input (only editors publish)',
    mutation: '{ createPost(input: { title: "ann news", status: published, authorId: 1 }) { title status } }',
    outcomes: [
      ['1', 'FORBIDDEN'],
      ['2:editor', 'FORBIDDEN'],
      ['1:editor', 'ok'],
    ],
    answer: { createPost: { title: 'ann news', status: 'published' } },
  },
  {
    write:
      'an update of a row the viewer cannot read is NOT_FOUND, of one it reads but may not change FORBIDDEN',
    mutation: '{ updatePost(id: 2, input: { title: "ann draft, edited" }) { title } }',
    outcomes: [
      [null, 'NOT_FOUND'],
      ['2', 'NOT_FOUND'],
      ['1', 'ok'],
    ],
    answer: { updatePost: { title: 'ann draft, edited' } },
  },
  {
    write: 'an update of a readable row that the rule refuses',
    mutation: '{ updatePost(id: 1, input: { title: "defaced" }) { title } }',
    outcomes: [
      [null, 'FORBIDDEN'],
      ['2', 'FORBIDDEN'],
    ],
  },
  {
    write: 'an update that would move the row out of the rule (post-check)',
    mutation: '{ updatePost(id: 1, input: { author: { connect: { id: 2 } } }) { title } }',
    outcomes: [['1', 'FORBIDDEN']],
  },
  {
    write: 'a delete',
    mutation: '{ deletePost(id: 4) { title status } }',
    outcomes: [
      [null, 'NOT_FOUND'],
      ['1', 'NOT_FOUND'],
      ['2', 'ok'],
    ],
    answer: { deletePost: { title: 'ben draft', status: 'draft' } },
  },
  {
    write: 'a delete of a readable row the rule refuses',
    mutation: '{ deletePost(id: 3) { title } }',
    outcomes: [
      [null, 'FORBIDDEN'],
      ['1', 'FORBIDDEN'],
    ],
  },
  {
    write: 'a nested create under the parent the viewer may update',
    mutation:
      '{ updateUser(id: 1, input: { posts: { create: [{ title: "nested", status: draft }] } }) { posts { nodes { title } } } }',
    outcomes: [
      [null, 'FORBIDDEN'],
      ['2', 'FORBIDDEN'],
      ['1', 'ok'],
    ],
    answer: {
      updateUser: {
        posts: {
          nodes: [
            { title: 'ann public' },
            { title: 'ann draft, edited' },
            { title: 'ann new' },
            { title: 'ann news' },
            { title: 'nested' },
          ],
        },
      },
    },
  },
  {
    write: 'a nested connect to a row the viewer cannot read is NOT_FOUND (hasMany)',
    mutation: '{ updateUser(id: 1, input: { posts: { connect: [{ id: 5 }] } }) { name } }',
    outcomes: [['1', 'NOT_FOUND']],
  },
  {
    write: 'a nested connect to a readable row whose update rule refuses it is FORBIDDEN',
    mutation: '{ updateUser(id: 1, input: { posts: { connect: [{ id: 3 }] } }) { name } }',
    outcomes: [['1', 'FORBIDDEN']],
  },
  {
    write: 'a nested connect to a row the viewer cannot read is NOT_FOUND (belongsTo)',
    mutation: '{ updateUser(id: 1, input: { safe: { connect: { id: 2 } } }) { name } }',
    outcomes: [['1', 'NOT_FOUND']],
  },
  {
    write: 'a nested update and delete of children through the parent',
    mutation: `{ updateUser(id: 2, input: { profile: { update: { bio: "ben bio, edited" } }, posts: { delete: [{ id: 3 }] } }) {
                  profile { bio } posts { totalCount } } }`,
    outcomes: [
      [null, 'FORBIDDEN'],
      ['1', 'FORBIDDEN'],
      ['2', 'ok'],
    ],
    answer: { updateUser: { profile: { bio: 'ben bio, edited' }, posts: { totalCount: 0 } } },
  },
  {
    write: 'a create refused at a nested level writes nothing, not even the parent',
    mutation:
      '{ createUser(input: { name: "Dan", email: "dan@example.com", pin: "4444", profile: { create: { bio: "dan bio" } } }) { name } }',
    outcomes: [
      [null, 'FORBIDDEN'],
      ['2', 'FORBIDDEN'],
      ['1:admin', 'FORBIDDEN'],
    ],
  },
  {
    write: 'a create the viewer may make but could not read back is refused and undone',
    mutation: '{ createSafe(input: { code: "orphan" }) { code } }',
    outcomes: [
      [null, 'FORBIDDEN'],
      ['1', 'FORBIDDEN'],
    ],
  },
];

function outcomeOf(answer: Answer): Outcome | string {
  if (!answer.errors) return 'ok';
  return String(answer.errors[0]?.extensions?.code ?? answer.errors[0]?.message);
}

describe.each(drivers)('write rules on %s', (driver) => {
  let server: AccessServer;
  beforeAll(async () => {
    server = await startAccessServer(driver);
  });
  afterAll(() => server?.api.close());

  // In order: later cases read what earlier ones wrote.
  describe.each(CASES)('$write', ({ mutation, outcomes, answer }) => {
    it.each(outcomes.map(([viewer, outcome]) => ({ viewer, outcome })))(
      'as $viewer: $outcome',
      async ({ viewer, outcome }) => {
        const before = await rowCounts(server.api.server);
        const result = await server.as(viewer, `mutation ${mutation}`);
        expect(outcomeOf(result)).toBe(outcome);
        expect(result.status).toBe(200);
        if (outcome === 'ok') {
          if (answer !== undefined) expect(result.data).toEqual(answer);
          return;
        }
        expect(result.errors?.[0]?.message).toMatch(/^\w+(\.\w+|\[\d+\])*: /);
        const message = result.errors?.[0]?.message ?? '';
        // A rule that refuses anonymous viewers says what would help.
        if (viewer === null && message.includes('does not allow')) expect(message).toMatch(/sign in first/);
        expect(await rowCounts(server.api.server)).toEqual(before);
      },
    );
  });

  it('left exactly the rows the allowed writes made', async () => {
    const posts = await rowsOf(server.api.server, 'Post');
    expect(posts.map((post) => [post.title, post.status, post.authorId])).toEqual([
      ['ann public', 'published', 1],
      ['ann draft, edited', 'draft', 1],
      ['cat draft', 'draft', 3],
      ['ann new', 'draft', 1],
      ['ann news', 'published', 1],
      ['nested', 'draft', 1],
    ]);
    const profiles = await rowsOf(server.api.server, 'Profile');
    expect(profiles.map((profile) => profile.bio)).toEqual(['ann bio', 'ben bio, edited', 'cat bio']);
    expect((await rowsOf(server.api.server, 'User')).map((user) => [user.name, user.safeId])).toEqual([
      ['Ann', 1],
      ['Ben', 2],
      ['Cat', null],
    ]);
    expect((await rowsOf(server.api.server, 'Safe')).map((safe) => safe.code)).toEqual([
      'ann-safe',
      'ben-safe',
    ]);
  });

  it('answers a mutation with the row as the viewer may see it', async () => {
    const created = await server.as(
      '9:admin',
      'mutation { createUser(input: { name: "Eve", email: "eve@example.com", pin: "5555" }) { name email joinedAt } }',
    );
    expect(created.errors).toBeUndefined();
    // An admin may create users, but their email is theirs alone.
    expect(created.data).toEqual({ createUser: { name: 'Eve', email: null, joinedAt: null } });
    const deleted = await server.as('1', 'mutation { deleteUser(id: 1) { name } }');
    expect(outcomeOf(deleted)).toBe('FORBIDDEN');
    const own = await server.as(
      '1',
      'mutation { updateUser(id: 1, input: { name: "Ann B" }) { name email joinedAt } }',
    );
    expect(own.data).toEqual({
      updateUser: { name: 'Ann B', email: 'ann@example.com', joinedAt: '2024-01-01T00:00:00.000Z' },
    });
  });
});
