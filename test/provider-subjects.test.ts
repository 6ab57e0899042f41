/**
 * Signing in with an identity provider's subject (`"auth0|5f1c"`, as Auth0, Okta and Keycloak issue
 * it) against the demo, with signed tokens, on both drivers. With the default viewer (`id` = `sub`)
 * the demo's rules compare the subject with integer keys and match nothing: the viewer reads what an
 * anonymous visitor reads, in the same statements, never a server error. With the demo's sign-in
 * (`npm start`) the subject names the user whose `externalId` it is.
 */
import { eq } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Authenticate } from '../access/authenticate.ts';
import { bearerAuthenticator } from '../index.ts';
import { demoModels } from '../models/index.ts';
import { userOfSubject } from '../server/commands/demo-database.ts';
import { readConfig } from '../server/config.ts';
import { demoQuery } from '../server/demo-query.ts';
import { demoSignIn } from '../server/demo-sign-in.ts';
import { drivers } from './support/databases.ts';
import { must } from './support/must.ts';
import { demoSeed, type GraphQLResponse, startTestServer, type TestServer } from './support/test-server.ts';

const SECRET = 'a-secret-the-provider-signs-with-32-bytes';
const AUDIENCE = 'https://api.example.test';
const SUBJECT = 'auth0|5f1c';

const sign = (sub: string, role = 'member') =>
  new SignJWT({ role, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 600 })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .sign(new TextEncoder().encode(SECRET));

/** The post totals of users 1–3 in the GraphiQL query: 2 published each, 3 where drafts are visible. */
const postTotals = (answer: GraphQLResponse) =>
  (answer.data?.users as { nodes: Array<{ posts: { totalCount: number } }> } | undefined)?.nodes
    .slice(0, 3)
    .map((user) => user.posts.totalCount);

describe.each(drivers)("an identity provider's subjects on %s", (driver) => {
  let api: TestServer;
  const config = readConfig({ RELGRAPH_JWT_SECRET: SECRET, RELGRAPH_JWT_AUDIENCE: AUDIENCE });
  const findUser = (subject: string) => userOfSubject(api.server, subject);
  const ways: Record<string, Authenticate> = {
    plain: bearerAuthenticator({ secret: SECRET, audience: AUDIENCE }),
  };
  beforeAll(async () => {
    ways.demo = must((await demoSignIn(config, false, findUser)).authenticate, 'the demo sign-in');
    api = await startTestServer(driver, demoModels, {
      seed: demoSeed(30),
      authenticate: (request) => must(ways[request.headers.get('x-way') ?? ''], 'a way').call(null, request),
    });
    // User 3 signs in with Auth0.
    const users = must(api.server.tables.byModel.get('User'), 'users');
    await api.server.connection
      .database()
      .update(users.table)
      .set({ externalId: SUBJECT } as never)
      .where(eq(must(users.columns.id, 'id'), 3));
  });
  afterAll(() => api?.close());

  async function as(way: string, token: string | undefined, query: string): Promise<GraphQLResponse> {
    const response = await api.server.yoga.fetch('http://relgraph.test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-way': way,
        ...(token !== undefined && { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as GraphQLResponse;
  }

  it('reads the directory with a subject that is no integer key: public rows, 8 statements, no error', async () => {
    const anonymous = await as('plain', undefined, demoQuery);
    const answer = await as('plain', await sign(SUBJECT), demoQuery);
    expect(answer.errors).toBeUndefined();
    expect(answer.extensions?.sql?.statements).toBe(8);
    expect(anonymous.extensions?.sql?.statements).toBe(8);
    expect(postTotals(answer)).toEqual([2, 2, 2]);
    expect(answer.data).toEqual(anonymous.data);
  });

  it('refuses its writes to rows owned by integer keys as FORBIDDEN, not as a server error', async () => {
    const token = await sign(SUBJECT);
    const create = await as(
      'plain',
      token,
      'mutation { createPost(input: { title: "t", body: "b", status: draft, author: { connect: { id: 3 } } }) { id } }',
    );
    expect(create.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const update = await as('plain', token, 'mutation { updateUser(id: 3, input: { name: "x" }) { id } }');
    expect(update.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("signs the subject in as the user whose externalId it is, with the token's role", async () => {
    const answer = await as('demo', await sign(SUBJECT), demoQuery);
    expect(answer.errors).toBeUndefined();
    // User 3's own drafts, and nobody else's.
    expect(postTotals(answer)).toEqual([2, 2, 3]);
    expect(answer.extensions?.sql?.statements).toBe(8);
    const own = await as(
      'demo',
      await sign(SUBJECT),
      'mutation { updateUser(id: 3, input: { name: "Edsger" }) { name } }',
    );
    expect(own.data).toEqual({ updateUser: { name: 'Edsger' } });
    const admin = await as('demo', await sign('demo|1', 'admin'), demoQuery);
    expect(postTotals(admin)).toEqual([3, 3, 3]);
  });

  it('reads as an anonymous visitor when the subject is no user, a numeric one included', async () => {
    // User 2's drafts are visible to user 2 only; user 1's website to signed-in members only.
    const query = '{ two: user(id: 2) { posts { totalCount } } one: user(id: 1) { profile { website } } }';
    expect((await as('demo', await sign('demo|2'), query)).data).toEqual({
      two: { posts: { totalCount: 3 } },
      one: { profile: { website: 'https://example.com/~user1' } },
    });
    for (const subject of ['auth0|nobody', '2', 'x\u0000y']) {
      const answer = await as('demo', await sign(subject), query);
      expect(answer.errors, subject).toBeUndefined();
      expect(answer.data, subject).toEqual({
        two: { posts: { totalCount: 2 } },
        one: { profile: { website: null } },
      });
    }
  });

  it('prints tokens for the seeded admin and member when no secret is configured', async () => {
    const printed = await demoSignIn(readConfig({}), false, findUser);
    ways.printed = must(printed.authenticate, 'the printed sign-in');
    const tokenOf = (who: string) =>
      must(
        /Bearer ([^"]+)"/.exec(
          must(
            printed.lines.find((line) => line.includes(who)),
            who,
          ),
        )?.[1],
        who,
      );
    expect(postTotals(await as('printed', tokenOf('admin, user 1'), demoQuery))).toEqual([3, 3, 3]);
    expect(postTotals(await as('printed', tokenOf('member, user 2'), demoQuery))).toEqual([2, 3, 2]);
  });
});
