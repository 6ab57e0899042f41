/**
 * Writes are no oracle for what the viewer cannot read. With the README's own rules (an email only
 * its owner sees, drafts only their author), an anonymous visitor or another member gets the same
 * answer from a `connect` (or a key field) whether the row it names exists or not; a
 * `connectOrCreate` never links a row it cannot see. What stays observable is documented: a unique
 * value is refused (CONFLICT) to anyone who may write the column, with a message naming only the
 * model, the field and the value the client sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { belongsTo, field, hasOne, model } from '../../index.ts';
import type { Viewer } from '../../schema/access-rules.ts';
import type { RelgraphServer } from '../../server/create-server.ts';
import { drivers } from '../support/databases.ts';
import { rowsOf } from '../support/row-counts.ts';
import { type GraphQLResponse, startTestServer, type TestServer } from '../support/test-server.ts';
import { headerViewer, insertRows, requestAs, statementsAs } from '../support/viewer-requests.ts';

const self = ({ viewer }: { viewer: Viewer | null }) => viewer !== null && { id: { eq: viewer.id } };

// The README's Access rules example, with a unique slug on posts, users editing their own row, and
// desks only their user reads (a foreign key a client may give as a field).
const Post = model('Post', {
  fields: {
    id: field.id(),
    title: field.string(),
    slug: field.string({ unique: true, optional: true }),
    status: field.enum(['draft', 'published']),
  },
  relations: { author: belongsTo('User') },
  access: {
    read: ({ viewer }) => {
      const published = { status: { eq: 'published' } };
      return viewer ? { or: [published, { authorId: { eq: viewer.id } }] } : published;
    },
    create: ({ viewer, input }) =>
      viewer !== null &&
      (input.status !== 'published' || viewer.role === 'editor') && { authorId: { eq: viewer.id } },
    update: ({ viewer }) => viewer !== null && { authorId: { eq: viewer.id } },
    delete: ({ viewer }) => viewer !== null && { authorId: { eq: viewer.id } },
  },
});

const User = model('User', {
  fields: { id: field.id(), name: field.string(), email: field.string({ unique: true, optional: true }) },
  relations: { desk: belongsTo('Desk', { optional: true, unique: true }) },
  access: { update: self, fields: { email: self } },
});

const Desk = model('Desk', {
  fields: { id: field.id(), label: field.string() },
  relations: { user: hasOne('User') },
  access: { read: ({ viewer }) => viewer !== null && { user: { id: { eq: viewer.id } } } },
});

/** Ann (1, the victim) with desk 1 and a draft; Ben (2, the prober) with desk 2 and a draft; desk 3 is free. */
async function seed(server: RelgraphServer) {
  const insert = (name: string, rows: Array<Record<string, unknown>>) => insertRows(server, name, rows);
  await insert('Desk', [{ label: 'ann desk' }, { label: 'ben desk' }, { label: 'free desk' }]);
  await insert('User', [
    { name: 'Ann', email: 'victim@example.com', deskId: 1 },
    { name: 'Ben', email: 'ben@example.com', deskId: 2 },
  ]);
  await insert('Post', [
    { title: 'ann public', slug: 'ann-public', status: 'published', authorId: 1 },
    { title: 'ann secret', slug: 'ann-secret-draft', status: 'draft', authorId: 1 },
    { title: 'ben draft', slug: null, status: 'draft', authorId: 2 },
  ]);
}

describe.each(drivers)('writes as an existence oracle, on %s', (driver) => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(driver, [Post, User, Desk], {
      seed,
      authenticate: headerViewer(),
    });
  });
  afterAll(() => api?.close());

  const as = (viewer: string | null, query: string) => requestAs(api.server, viewer, query);

  /** Everything a client could compare, with the value it probed for taken out. */
  const probe = async (viewer: string | null, template: string, value: string) => {
    const answer = await as(viewer, template.replaceAll('$', value));
    // The value as the message quotes it (`"victim@example.com"`), escaped as it is inside JSON.
    return JSON.parse(JSON.stringify(answer).replaceAll(`\\"${value}\\"`, '\\"…\\"')) as GraphQLResponse;
  };

  const snapshot = async () =>
    Object.fromEntries(
      await Promise.all(['Post', 'User', 'Desk'].map(async (name) => [name, await rowsOf(api.server, name)])),
    );

  it.each([
    { viewer: null, code: 'FORBIDDEN' },
    { viewer: '2', code: 'NOT_FOUND' },
  ])(
    'a connect by a hidden email answers $viewer the same whether it exists: $code',
    async ({ viewer, code }) => {
      const before = await snapshot();
      const template =
        'mutation { createPost(input: { title: "t", status: draft, author: { connect: { email: "$" } } }) { id } }';
      const existing = await probe(viewer, template, 'victim@example.com');
      expect(existing.errors?.[0]?.extensions?.code).toBe(code);
      expect(await probe(viewer, template, 'nobody@example.com')).toEqual(existing);
      expect(await snapshot()).toEqual(before);
    },
  );

  it('a connect by the email finds the row for the one who may see it', async () => {
    const answer = await as(
      '1',
      'mutation { createPost(input: { title: "mine", status: draft, author: { connect: { email: "victim@example.com" } } }) { author { name } } }',
    );
    expect(answer).toEqual({ data: { createPost: { author: { name: 'Ann' } } } });
  });

  it('a key field naming a row the viewer cannot read is NOT_FOUND, as a key naming no row', async () => {
    const before = await snapshot();
    const template = 'mutation { updateUser(id: 2, input: { deskId: $ }) { id } }';
    const missing = await probe('2', template, '99');
    expect(missing.errors?.[0]).toMatchObject({
      message: 'No Desk has id "…" (given for User.deskId).',
      extensions: { code: 'NOT_FOUND' },
    });
    // Ann's desk (taken: a one-to-one) and the free desk, both unreadable to Ben.
    expect(await probe('2', template, '1')).toEqual(missing);
    expect(await probe('2', template, '3')).toEqual(missing);
    expect(await snapshot()).toEqual(before);
    // The one desk Ben can read, he can give; checking it costs one statement.
    expect(await as('2', 'mutation { updateUser(id: 2, input: { deskId: 2 }) { desk { label } } }')).toEqual({
      data: { updateUser: { desk: { label: 'ben desk' } } },
    });
    const statements = (input: string) =>
      statementsAs(api.server, '2', `mutation { updateUser(id: 2, input: { ${input} }) { id } }`);
    expect((await statements('deskId: 2')) - (await statements('name: "Ben"'))).toBe(1);
  });

  it('a connectOrCreate never links a row the viewer cannot see: it creates, as a create would', async () => {
    const before = await snapshot();
    const nested = await as(
      '2',
      `mutation { updatePost(id: 3, input: { author: { connectOrCreate: {
         where: { email: "victim@example.com" }, create: { name: "Fake", email: "victim@example.com" } } } }) { id } }`,
    );
    const direct = await as(
      '2',
      'mutation { createUser(input: { name: "Fake", email: "victim@example.com" }) { id } }',
    );
    expect(direct.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', model: 'User', field: 'email' });
    expect(nested.errors?.[0]?.message).toBe(direct.errors?.[0]?.message);
    expect(await snapshot()).toEqual(before);
  });

  it('a unique value is observable to whoever may write it; the CONFLICT names only what the client sent', async () => {
    const hidden = await as('2', '{ posts(where: { slug: { eq: "ann-secret-draft" } }) { totalCount } }');
    expect(hidden.data).toEqual({ posts: { totalCount: 0 } });
    const draft = await as(
      '2',
      'mutation { createPost(input: { title: "t", slug: "ann-secret-draft", status: draft, authorId: 2 }) { id } }',
    );
    expect(draft.errors).toEqual([
      {
        message: 'A Post with slug "ann-secret-draft" already exists (Post.slug is unique).',
        path: ['createPost'],
        locations: expect.anything(),
        extensions: { code: 'CONFLICT', model: 'Post', field: 'slug' },
      },
    ]);
    const email = await as(
      '2',
      'mutation { updateUser(id: 2, input: { email: "victim@example.com" }) { id } }',
    );
    expect(email.errors?.[0]).toMatchObject({
      message: 'A User with email "victim@example.com" already exists (User.email is unique).',
      extensions: { code: 'CONFLICT', model: 'User', field: 'email' },
    });
  });
});
