/**
 * A frontend's view: graphql-request, a mainstream GraphQL client, over HTTP against a listening
 * server on both drivers — typed documents (TypedDocumentNode) checked against the exported
 * schema.graphql the way a code generator checks them, variables, relations, a nested create signed
 * in with a bearer token (the demo's rules let only admins create accounts), and our error codes as
 * the client reports them.
 */
import { readFileSync } from 'node:fs';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { buildSchema, parse, validate } from 'graphql';
import { ClientError, GraphQLClient } from 'graphql-request';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { bearerAuthenticator } from '../../index.ts';
import { demoModels } from '../../models/index.ts';
import { drivers } from '../support/databases.ts';
import { rowsOf } from '../support/row-counts.ts';
import { demoSeed, startTestServer, type TestServer } from '../support/test-server.ts';

interface UserCard {
  id: string;
  name: string;
  phone: { number: string } | null;
  role: { name: string };
  posts: { totalCount: number; nodes: Array<{ title: string; status: 'draft' | 'published' }> };
}

const UsersByRole: TypedDocumentNode<
  { users: { totalCount: number; nodes: UserCard[] } },
  { role: string; first: number }
> = parse(/* GraphQL */ `
  query UsersByRole($role: String!, $first: Int!) {
    users(where: { role: { name: { eq: $role } } }, first: $first) {
      totalCount
      nodes {
        id
        name
        phone { number }
        role { name }
        posts(where: { status: { eq: published } }) { totalCount nodes { title status } }
      }
    }
  }
`);

const UserById: TypedDocumentNode<{ user: { name: string } | null }, { id: string }> = parse(/* GraphQL */ `
  query UserById($id: ID!) { user(id: $id) { name } }
`);

interface CreateUserInput {
  name: string;
  email: string;
  role: { connect: { name: string } };
  phone?: { create: { number: string } };
  posts?: { create: Array<{ title: string; body: string; status: 'draft' | 'published' }> };
}

const CreateUser: TypedDocumentNode<
  {
    createUser: {
      id: string;
      phone: { number: string; user: { email: string } } | null;
      role: { name: string };
      posts: { nodes: Array<{ title: string; status: string }> };
    };
  },
  { input: CreateUserInput }
> = parse(/* GraphQL */ `
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      id
      phone { number user { email } }
      role { name }
      posts { nodes { title status } }
    }
  }
`);

const AddPhone: TypedDocumentNode<{ createPhone: { id: string } }, { userId: string; number: string }> =
  parse(
    /* GraphQL */ `
    mutation AddPhone($userId: ID!, $number: String!) {
      createPhone(input: { number: $number, user: { connect: { id: $userId } } }) { id }
    }
  `,
  );

/** The `extensions.code` of each error the client reports for a failed request. */
async function codesOf(request: Promise<unknown>): Promise<string[]> {
  const error = await request.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ClientError)) throw new Error(`expected a ClientError, got ${String(error)}`);
  return (error.response.errors ?? []).map((e) => String(e.extensions?.code));
}

it('the typed documents are valid against the committed schema.graphql', () => {
  const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
  for (const document of [UsersByRole, UserById, CreateUser, AddPhone]) {
    expect(validate(schema, document).map((error) => error.message)).toEqual([]);
  }
  // Never called: \`npm run typecheck\` fails unless the documents' types reject these variables.
  const misuse = (client: GraphQLClient) => [
    // @ts-expect-error \`first\` must be a number
    client.request(UsersByRole, { role: 'editor', first: 'ten' }),
    // @ts-expect-error \`id\` is required
    client.request(UserById, {}),
  ];
  expect(misuse).toBeTypeOf('function');
});

/** The shared secret between the tests' identity provider (which signs here) and the server. */
const SECRET = 'the-client-tests-secret-of-32-bytes+';
const AUDIENCE = 'relgraph';

/** A token as an identity provider issues it to the demo's admin (user 1). */
const adminToken = () =>
  new SignJWT({ role: 'admin' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('1')
    .setAudience(AUDIENCE)
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(SECRET));

describe.each(drivers)('graphql-request against a listening server on %s', (driver) => {
  let test: TestServer;
  /** Signed in as the admin, with a bearer token on every request. */
  let client: GraphQLClient;
  let anonymous: GraphQLClient;
  /** The `extensions` of the last response, as the client's response middleware sees them. */
  let lastExtensions: unknown;
  beforeAll(async () => {
    test = await startTestServer(driver, demoModels, {
      seed: demoSeed(25),
      authenticate: bearerAuthenticator({ secret: SECRET, audience: AUDIENCE }),
    });
    const url = await test.server.listen(0, '127.0.0.1');
    client = new GraphQLClient(url, {
      headers: { authorization: `Bearer ${await adminToken()}` },
      responseMiddleware: (response) => {
        lastExtensions = response instanceof Error ? undefined : response.extensions;
      },
    });
    anonymous = new GraphQLClient(url);
  });
  afterAll(() => test?.close());

  it('runs a typed query with variables over relations, in one statement per level', async () => {
    const data = await client.request(UsersByRole, { role: 'editor', first: 10 });
    expectTypeOf(data.users.nodes).toEqualTypeOf<UserCard[]>();
    expect(data.users.totalCount).toBe(3);
    expect(data.users.nodes.map(({ id, name, phone, role }) => ({ id, name, phone, role }))).toEqual([
      { id: '6', name: 'Donald Lovelace', phone: { number: '+44 20 7946 0005' }, role: { name: 'editor' } },
      { id: '11', name: 'Ada Hopper', phone: { number: '+44 20 7946 0010' }, role: { name: 'editor' } },
      { id: '16', name: 'Donald Hopper', phone: { number: '+44 20 7946 0015' }, role: { name: 'editor' } },
    ]);
    expect(data.users.nodes[0]?.posts).toEqual({
      totalCount: 2,
      nodes: [
        { title: 'Note 1 by user 6', status: 'published' },
        { title: 'Note 2 by user 6', status: 'published' },
      ],
    });
    // users, their count, phones, roles, the posts of every user, their counts
    expect(lastExtensions).toEqual({ sql: { statements: 6 } });
  });

  it('creates a user with a phone and posts in one call, and reads them back through relations', async () => {
    const { createUser } = await client.request(CreateUser, {
      input: {
        name: 'Grace Client',
        email: 'grace.client@example.com',
        role: { connect: { name: 'member' } },
        phone: { create: { number: '+1 555 0100' } },
        posts: { create: [{ title: 'From the client', body: 'Typed end to end.', status: 'published' }] },
      },
    });
    expect(createUser).toMatchObject({
      phone: { number: '+1 555 0100', user: { email: 'grace.client@example.com' } },
      role: { name: 'member' },
      posts: { nodes: [{ title: 'From the client', status: 'published' }] },
    });
    const { user } = await client.request(UserById, { id: createUser.id });
    expect(user).toEqual({ name: 'Grace Client' });
  });

  it('sees FORBIDDEN, and nothing is written, when it creates a user without a token', async () => {
    const input = { name: 'Anne Onymous', email: 'anne@example.com', role: { connect: { name: 'member' } } };
    expect(await codesOf(anonymous.request(CreateUser, { input }))).toEqual(['FORBIDDEN']);
    expect(await rowsOf(test.server, 'User', { field: 'email', value: 'anne@example.com' })).toEqual([]);
  });

  it('sees CONFLICT when a second phone is given to a user', async () => {
    expect(await codesOf(client.request(AddPhone, { userId: '1', number: '+1 555 0199' }))).toEqual([
      'CONFLICT',
    ]);
  });

  it('sees NOT_FOUND when a nested connect names a missing row', async () => {
    const input = { name: 'Nobody', email: 'nobody@example.com', role: { connect: { name: 'owner' } } };
    expect(await codesOf(client.request(CreateUser, { input }))).toEqual(['NOT_FOUND']);
  });

  it('sees BAD_USER_INPUT for a malformed id and for a variable of the wrong type', async () => {
    expect(await codesOf(client.request(UserById, { id: 'abc' }))).toEqual(['BAD_USER_INPUT']);
    const wrongType = { role: 'editor', first: 'ten' } as unknown as { role: string; first: number };
    expect(await codesOf(client.request(UsersByRole, wrongType))).toEqual(['BAD_USER_INPUT']);
  });
});
