import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModels } from '../../models/index.ts';
import type { Viewer } from '../../schema/access-rules.ts';
import { drivers } from '../support/databases.ts';
import { rowsOf } from '../support/row-counts.ts';
import { demoAdmin, demoSeed, startTestServer, type TestServer } from '../support/test-server.ts';

// The demo's access rules are on: an admin passes them all, an anonymous visitor and a member get
// their filters (and the hidden website) compiled into the same statements.
// Posts of the first 100 users each viewer sees: 3 each, or the 2 published (plus a member's own draft).
const viewers: ReadonlyArray<[string, Viewer | null, number]> = [
  ['the admin', demoAdmin, 300],
  ['an anonymous visitor', null, 200],
  ['a member', { id: '2', role: 'member' }, 201],
];

describe.each(
  drivers.flatMap((driver) => viewers.map(([name, viewer, posts]) => ({ driver, name, viewer, posts }))),
)('statement counts on $driver as $name', ({ driver, viewer, posts }) => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(driver, demoModels, { seed: demoSeed(150), authenticate: () => viewer });
  });
  afterAll(() => api?.close());

  it('loads 100 users with phone, profile and address in 4 statements', async () => {
    const query =
      '{ users(first: 100) { nodes { id phone { number } profile { bio } address { street } } } }';
    const result = await api.query(query);
    const nodes = (result.data?.users as { nodes: Array<Record<string, unknown>> } | undefined)?.nodes ?? [];
    expect(nodes).toHaveLength(100);
    expect(nodes.filter((user) => user.phone !== null).length).toBe(100 - Math.floor(100 / 7));
    expect(result.extensions?.sql?.statements).toBe(4);
  });

  it('loads 100 phones with user { profile } in 3 statements', async () => {
    expect(
      await api.statementsOf('{ phones(first: 100) { nodes { number user { name profile { bio } } } } }'),
    ).toBe(3);
  });

  it('walks back over a link without a statement: users { phone { user { phone } } } in 2', async () => {
    expect(
      await api.statementsOf('{ users(first: 100) { nodes { phone { user { phone { number } } } } } }'),
    ).toBe(2);
  });

  it('loads the posts and post totals of 100 users in 3 statements, through the Post read rule', async () => {
    const result = await api.query(
      '{ users(first: 100) { nodes { posts(first: 3) { totalCount nodes { status } } } } }',
    );
    expect(result.errors).toBeUndefined();
    const users = result.data?.users as
      | { nodes: Array<{ posts: { totalCount: number; nodes: unknown[] } }> }
      | undefined;
    const nodes = users?.nodes ?? [];
    expect(nodes.reduce((sum, user) => sum + user.posts.totalCount, 0)).toBe(posts);
    expect(nodes.reduce((sum, user) => sum + user.posts.nodes.length, 0)).toBe(posts);
    expect(result.extensions?.sql?.statements).toBe(3);
  });

  it('loads ahead only what a hasMany list reads: its totals alone cost one statement, no page', async () => {
    const result = await api.query('{ users(first: 100) { nodes { posts(first: 3) { totalCount } } } }');
    expect(result.errors).toBeUndefined();
    expect(result.extensions?.sql?.statements).toBe(2);
  });

  it('loads pages ahead under a to-one relation, one statement per level', async () => {
    const result = await api.query(
      '{ phones(first: 50) { nodes { user { posts(first: 2) { nodes { title } pageInfo { hasNextPage } } } } } }',
    );
    expect(result.errors).toBeUndefined();
    const phones = result.data?.phones as { nodes: Array<{ user: { posts: { nodes: unknown[] } } }> };
    expect(phones.nodes.every((phone) => phone.user.posts.nodes.length <= 2)).toBe(true);
    expect(phones.nodes.some((phone) => phone.user.posts.nodes.length === 2)).toBe(true);
    expect(result.extensions?.sql?.statements).toBe(3);
  });

  it('leaves a hasMany list with a refused argument to report it at its own path', async () => {
    const result = await api.query(
      '{ users(first: 2) { nodes { name posts(first: -1) { nodes { title } } } } }',
    );
    // posts is non-null: the first refusal nulls the page of users, so it is the only error.
    const errors = result.errors as Array<{ path?: unknown[]; extensions?: { code?: unknown } }> | undefined;
    expect(errors?.map((error) => [error.extensions?.code, error.path?.join('.')])).toEqual([
      ['BAD_USER_INPUT', 'users.nodes.0.posts'],
    ]);
  });

  it('loads one user by id with three relations in 4 statements', async () => {
    expect(
      await api.statementsOf('{ user(id: 42) { name phone { number } profile { bio } address { street } } }'),
    ).toBe(4);
  });

  it('keeps the counts when relations are asked for through fragments, directives and edges', async () => {
    const query = `{
      users(first: 100) {
        edges { node { id ...Links } }
        nodes { phone @include(if: true) { user { phone { number } } } }
      }
    }
    fragment Links on User { phone { number } ... on User { profile { bio } address @skip(if: false) { street } } }`;
    const result = await api.query(query);
    expect(result.errors).toBeUndefined();
    const users = result.data?.users as {
      edges: Array<{ node: { id: string; phone: { number: string } | null; profile: { bio: string } } }>;
      nodes: Array<{ phone: { user: { phone: { number: string } } } | null }>;
    };
    expect(users.edges).toHaveLength(100);
    expect(users.edges[6]?.node.phone).toBeNull();
    const [profile] = await rowsOf(api.server, 'Profile', { field: 'ownerId', value: 1 });
    expect(users.edges[0]?.node.profile.bio).toBe(profile?.bio);
    expect(users.nodes[0]?.phone?.user.phone.number).toBe(users.edges[0]?.node.phone?.number);
    // users, phones, profiles, addresses: the walk back from phone to user to phone is free.
    expect(result.extensions?.sql?.statements).toBe(4);
  });
});
