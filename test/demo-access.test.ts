/**
 * The demo's access policy (models/rules.ts) as the README describes it, on both drivers: anonymous
 * visitors read the directory and published posts, members also their drafts and profiles' websites
 * and write their own rows, editors edit every post, admins do anything — and the GraphiQL query
 * costs the same 8 statements for every viewer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModels } from '../models/index.ts';
import { demoQuery } from '../server/demo-query.ts';
import { drivers } from './support/databases.ts';
import { must } from './support/must.ts';
import { demoSeed, type GraphQLResponse, startTestServer, type TestServer } from './support/test-server.ts';

/** Seeded roles: user 1 is an admin, user 6 an editor, users 2 and 3 members. */
const VIEWERS = {
  anonymous: null,
  member: { id: '2', role: 'member' },
  otherMember: { id: '3', role: 'member' },
  editor: { id: '6', role: 'editor' },
  admin: { id: '1', role: 'admin' },
} as const;
type ViewerName = keyof typeof VIEWERS;

describe.each(drivers)('the demo access policy on %s', (driver) => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(driver, demoModels, {
      seed: demoSeed(30),
      authenticate: (request) => VIEWERS[(request.headers.get('x-viewer') ?? 'anonymous') as ViewerName],
    });
  });
  afterAll(() => api?.close());

  async function as(viewer: ViewerName, query: string): Promise<GraphQLResponse> {
    const response = await api.server.yoga.fetch('http://relgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-viewer': viewer },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as GraphQLResponse;
  }

  const codeOf = (answer: GraphQLResponse) => answer.errors?.[0]?.extensions?.code ?? 'ok';

  it.each(Object.keys(VIEWERS) as ViewerName[])(
    'answers the GraphiQL query as %s in 8 statements',
    async (viewer) => {
      const answer = await as(viewer, demoQuery);
      expect(answer.errors).toBeUndefined();
      expect(answer.extensions?.sql?.statements).toBe(8);
      const users = answer.data?.users as {
        totalCount: number;
        nodes: Array<{ posts: { totalCount: number } }>;
      };
      expect(users.totalCount).toBe(30);
      const drafts: Record<ViewerName, number[]> = {
        anonymous: [2, 2, 2],
        member: [2, 3, 2],
        otherMember: [2, 2, 3],
        editor: [3, 3, 3],
        admin: [3, 3, 3],
      };
      expect(users.nodes.slice(0, 3).map((user) => user.posts.totalCount)).toEqual(drafts[viewer]);
    },
  );

  it('shows profiles’ websites to members only', async () => {
    const query = '{ user(id: 1) { profile { website } } }';
    expect((await as('anonymous', query)).data).toEqual({ user: { profile: { website: null } } });
    expect((await as('member', query)).data).toEqual({
      user: { profile: { website: 'https://example.com/~user1' } },
    });
  });

  it('lets members write their own rows only', async () => {
    const own = await as(
      'member',
      'mutation { updateUser(id: 2, input: { phone: { update: { number: "+44 1" } } }) { phone { number } } }',
    );
    expect(own.data).toEqual({ updateUser: { phone: { number: '+44 1' } } });
    expect(
      codeOf(await as('member', 'mutation { updatePhone(id: 3, input: { number: "+44 2" }) { number } }')),
    ).toBe('FORBIDDEN');
    expect(
      codeOf(await as('anonymous', 'mutation { updatePhone(id: 2, input: { number: "+44 2" }) { number } }')),
    ).toBe('FORBIDDEN');
    expect(codeOf(await as('member', 'mutation { createRole(input: { name: "owner" }) { name } }'))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await as('admin', 'mutation { createRole(input: { name: "owner" }) { name } }'))).toBe(
      'ok',
    );
  });

  it('lets only admins change a role, however it is set', async () => {
    const roleOf = async (user: number) =>
      (await as('admin', `{ user(id: ${user}) { role { name } } }`)).data?.user as { role: { name: string } };
    const profile = (await as('member', '{ user(id: 2) { profile { id } } }')).data?.user as {
      profile: { id: string };
    };
    const attempts = [
      ['updateUser(id: 2, input: { role: { connect: { name: "admin" } } })', 'input.role'],
      ['updateUser(id: 2, input: { roleId: 1 })', 'input.roleId'],
      ['updateUser(id: 2, input: { name: "Boss", role: { create: { name: "boss" } } })', 'input.role'],
      [
        `updateProfile(id: ${profile.profile.id}, input: { user: { update: { role: { connect: { name: "admin" } } } } })`,
        'input.user.update.role',
      ],
    ];
    for (const [mutation, path] of attempts) {
      const answer = await as('member', `mutation { ${mutation} { id } }`);
      expect(answer.errors?.[0]).toMatchObject({
        message: `${path}: the access rule of User.roleId does not allow you to set it when updating a User.`,
        extensions: { code: 'FORBIDDEN', path, model: 'User', field: 'roleId', operation: 'update' },
      });
    }
    expect(await roleOf(2)).toEqual({ role: { name: 'member' } });
    // The rest of their own row stays theirs to edit.
    expect(
      (await as('member', 'mutation { updateUser(id: 2, input: { name: "Two" }) { name } }')).data,
    ).toEqual({
      updateUser: { name: 'Two' },
    });
    const promoted = await as(
      'admin',
      'mutation { updateUser(id: 3, input: { role: { connect: { name: "editor" } } }) { role { name } } }',
    );
    expect(promoted.data).toEqual({ updateUser: { role: { name: 'editor' } } });
    expect(
      codeOf(
        await as(
          'admin',
          'mutation { updateUser(id: 3, input: { role: { connect: { name: "member" } } }) { id } }',
        ),
      ),
    ).toBe('ok');
  });

  it('lets only admins set the identity-provider subject a token signs in as', async () => {
    const claim = 'mutation { updateUser(id: 2, input: { externalId: "auth0|someone-else" }) { id } }';
    expect((await as('member', claim)).errors?.[0]).toMatchObject({
      message:
        'input.externalId: the access rule of User.externalId does not allow you to set it when updating a User.',
      extensions: { code: 'FORBIDDEN', field: 'externalId', operation: 'update' },
    });
    const read = await as('admin', '{ user(id: 2) { externalId } }');
    expect(read.data).not.toEqual({ user: { externalId: 'auth0|someone-else' } });
    const set = 'mutation { updateUser(id: 2, input: { externalId: "auth0|member-two" }) { externalId } }';
    expect((await as('admin', set)).data).toEqual({ updateUser: { externalId: 'auth0|member-two' } });
  });

  it('lets a member change the address they live at, through a rule that follows the relation', async () => {
    const addressOf = async (user: number) => {
      const answer = await as('admin', `{ user(id: ${user}) { address { id } } }`);
      return must((answer.data?.user as { address: { id: string } } | undefined)?.address.id, 'address');
    };
    const mine = await addressOf(2);
    const theirs = await addressOf(3);
    const update = (id: string) => `mutation { updateAddress(id: ${id}, input: { city: "Paris" }) { city } }`;
    expect((await as('member', update(mine))).data).toEqual({ updateAddress: { city: 'Paris' } });
    expect(codeOf(await as('member', update(theirs)))).toBe('FORBIDDEN');
    expect(codeOf(await as('otherMember', update(theirs)))).toBe('ok');
  });

  it('lets members post as themselves and see their drafts; editors edit any post', async () => {
    const draft = (author: number) =>
      `mutation { createPost(input: { title: "Mine", body: "…", status: draft, author: { connect: { id: ${author} } } }) { id } }`;
    expect(codeOf(await as('member', draft(3)))).toBe('FORBIDDEN');
    const created = await as('member', draft(2));
    const id = must((created.data?.createPost as { id: string } | undefined)?.id, 'new post');
    expect((await as('member', `{ post(id: ${id}) { title } }`)).data).toEqual({ post: { title: 'Mine' } });
    expect((await as('otherMember', `{ post(id: ${id}) { title } }`)).data).toEqual({ post: null });
    const edit = `mutation { updatePost(id: ${id}, input: { title: "Edited" }) { title } }`;
    expect(codeOf(await as('otherMember', edit))).toBe('NOT_FOUND');
    expect((await as('editor', edit)).data).toEqual({ updatePost: { title: 'Edited' } });
  });
});
