/**
 * Mutations: every nested form of create and update, deletes honouring onDelete, several fields per
 * request, and the statements a nested create costs — checked in the response and in the database.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { belongsTo, field, hasMany, hasOne, type Model, model } from '../../index.ts';
import { demoModels } from '../../models/index.ts';
import { drivers } from '../support/databases.ts';
import { rowsOf, sqlRows } from '../support/row-counts.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

type Row = Record<string, unknown>;

/** Runs a request that must succeed; its data, one row per mutation field. */
async function ok(api: TestServer, query: string, variables?: Row): Promise<Record<string, Row>> {
  const result = await api.query(query, variables);
  expect(result.errors).toBeUndefined();
  return (result.data ?? {}) as Record<string, Row>;
}

const idOf = (row: unknown) => String((row as Row | undefined)?.id);
const nodeIds = (connection: unknown) => (connection as { nodes: Row[] }).nodes.map(idOf);
const post = (title: string) => ({ title, body: `About ${title}.`, status: 'draft' });
/** A phone, profile, address and `posts` posts, all created with a user. */
const family = (posts: number) => ({
  phone: { create: { number: '+47 1' } },
  profile: { create: { bio: 'Hello.' } },
  address: { create: { street: '1 Main St', city: 'Oslo' } },
  posts: { create: Array.from({ length: posts }, (_, n) => post(`Post ${n}`)) },
});

/** The fields of a generated input type and their types (`name: 'String!'`): what the schema offers. */
function inputTypesOf(api: TestServer, name: string): Record<string, string> {
  const type = api.server.schema.getType(name) as
    | { getFields?: () => Record<string, { type: unknown }> }
    | undefined;
  return Object.fromEntries(
    Object.entries(type?.getFields?.() ?? {}).map(([field, { type }]) => [field, String(type)]),
  );
}
const inputFieldsOf = (api: TestServer, name: string) => Object.keys(inputTypesOf(api, name));

/** Accounts with a card and entries, linked through the unique non-key `number` and renamed columns. */
function customKeyModels(): Model[] {
  const number = { localKey: 'number', optional: true } as const;
  const Account = model('Account', {
    fields: { id: field.id(), number: field.string({ unique: true, column: 'account_no' }) },
    relations: {
      card: hasOne((): Model => Card, { foreignKey: 'accountNumber', localKey: 'number' }),
      entries: hasMany((): Model => Entry, { ...number, foreignKey: 'accountRef', column: 'foreign_key' }),
    },
  });
  const Card = model('Card', {
    fields: { id: field.id(), label: field.string(), accountNumber: field.string({ column: 'owner_key' }) },
    relations: { account: belongsTo(() => Account, { foreignKey: 'accountNumber', ownerKey: 'number' }) },
  });
  const Entry = model('Entry', {
    fields: { id: field.id(), amount: field.int() },
    relations: {
      account: belongsTo(() => Account, { foreignKey: 'accountRef', ownerKey: 'number', optional: true }),
    },
  });
  return [Account, Card, Entry];
}

describe.each(drivers)('mutations on %s', (driver) => {
  let api: TestServer;
  const roles: Record<string, string> = {};
  let serial = 0;
  const email = (who: string) => `${who}.${++serial}@example.com`;

  beforeAll(async () => {
    api = await startTestServer(driver, demoModels);
    const query = 'mutation ($name: String!) { createRole(input: { name: $name }) { id } }';
    for (const name of ['admin', 'member']) roles[name] = idOf((await ok(api, query, { name })).createRole);
  });
  afterAll(() => api?.close());

  /** A new member named Ada with an email of her own, plus `input`; answers `selection`. */
  const createUser = async (input: Row = {}, selection = 'id') => {
    const query = `mutation ($input: CreateUserInput!) { createUser(input: $input) { ${selection} } }`;
    const ada = { name: 'Ada', email: email('ada'), roleId: roles.member };
    return (await ok(api, query, { input: { ...ada, ...input } })).createUser as Row;
  };
  const updateUser = async (id: unknown, input: Row, selection = 'id') => {
    const query = `mutation ($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { ${selection} } }`;
    return (await ok(api, query, { id, input })).updateUser as Row;
  };
  const createAddress = async () => {
    const query = 'mutation { createAddress(input: { street: "2 Side St", city: "Oslo" }) { id } }';
    return idOf((await ok(api, query)).createAddress);
  };
  const rowsWhere = (model: string, field: string, value: unknown) =>
    rowsOf(api.server, model, { field, value: Number(value) });

  it('mirrors the fields in create inputs (no primary key; required unless defaulted) and makes updates optional', () => {
    const createUser = inputTypesOf(api, 'CreateUserInput');
    expect(createUser).toMatchObject({
      name: 'String!',
      email: 'String!',
      createdAt: 'DateTime',
      roleId: 'ID',
    });
    expect(createUser).not.toHaveProperty('id');
    const createPost = { status: 'PostStatus!', publishedAt: 'DateTime' };
    expect(inputTypesOf(api, 'CreatePostInput')).toMatchObject(createPost);
    for (const { name } of demoModels) {
      const types = Object.values(inputTypesOf(api, `Update${name}Input`));
      expect(types.length).toBeGreaterThan(0);
      expect(types.filter((type) => type.endsWith('!'))).toEqual([]);
    }
  });

  describe('create', () => {
    it('generates the id, applies the createdAt default and resolves the role through its loader', async () => {
      const before = Date.now();
      const user = await createUser({ name: 'Grace' }, 'id name createdAt role { name } phone { id }');
      expect(user).toMatchObject({ name: 'Grace', role: { name: 'member' }, phone: null });
      expect(user.id).toMatch(/^\d+$/);
      expect(Math.abs(Date.parse(String(user.createdAt)) - before)).toBeLessThan(60_000);
      const stored = { name: 'Grace', roleId: Number(roles.member), addressId: null };
      expect(await rowsWhere('User', 'id', user.id)).toMatchObject([stored]);
    });

    it('creates a phone, profile, address and posts with the user, and returns them fresh', async () => {
      const user = await createUser(
        family(2),
        'id addressId phone { number userId } profile { bio ownerId } address { id street } posts { nodes { title } }',
      );
      expect(user).toMatchObject({
        phone: { number: '+47 1', userId: user.id },
        profile: { bio: 'Hello.', ownerId: user.id },
        address: { id: user.addressId, street: '1 Main St' },
        posts: { nodes: [{ title: 'Post 0' }, { title: 'Post 1' }] },
      });
      expect(await rowsWhere('Phone', 'userId', user.id)).toMatchObject([{ number: '+47 1' }]);
      expect(await rowsWhere('Profile', 'ownerId', user.id)).toMatchObject([{ bio: 'Hello.' }]);
      expect(await rowsWhere('Address', 'id', user.addressId)).toMatchObject([{ city: 'Oslo' }]);
      const titles = (await rowsWhere('Post', 'authorId', user.id)).map((row) => row.title);
      expect(titles).toEqual(['Post 0', 'Post 1']);
    });

    it('creates a phone with a new user who has a new profile (belongsTo create, inserted first)', async () => {
      const owner = { name: 'Owner', email: email('owner'), roleId: roles.member };
      const query = `mutation ($input: CreatePhoneInput!) {
        createPhone(input: $input) { number user { email profile { bio } } }
      }`;
      const user = { create: { ...owner, profile: { create: { bio: 'Deep.' } } } };
      const data = await ok(api, query, { input: { number: '+47 2', user } });
      const expected = { number: '+47 2', user: { email: owner.email, profile: { bio: 'Deep.' } } };
      expect(data.createPhone).toEqual(expected);
      const [stored] = await rowsOf(api.server, 'User', { field: 'email', value: owner.email });
      expect(await rowsWhere('Phone', 'userId', stored?.id)).toMatchObject([{ number: '+47 2' }]);
      expect(await rowsWhere('Profile', 'ownerId', stored?.id)).toMatchObject([{ bio: 'Deep.' }]);
    });

    it('links belongsTo parents by connect (id or unique name), by create (inserted first) or by key', async () => {
      const addressId = await createAddress();
      const connected = await createUser(
        { roleId: undefined, role: { connect: { name: 'admin' } }, address: { connect: { id: addressId } } },
        'id role { name } address { street }',
      );
      expect(connected).toMatchObject({ role: { name: 'admin' }, address: { street: '2 Side St' } });
      const stored = { roleId: Number(roles.admin), addressId: Number(addressId) };
      expect(await rowsWhere('User', 'id', connected.id)).toMatchObject([stored]);
      expect((await createUser({ roleId: roles.admin }, 'role { name }')).role).toEqual({ name: 'admin' });
      const guest = await createUser(
        { roleId: undefined, role: { create: { name: 'guest' } } },
        'id role { id }',
      );
      expect(await rowsWhere('User', 'id', guest.id)).toMatchObject([{ roleId: Number(idOf(guest.role)) }]);
      expect(await rowsWhere('Role', 'id', idOf(guest.role))).toMatchObject([{ name: 'guest' }]);
    });

    it('connects another user’s phone, profile and post by unique field, moving them over', async () => {
      const given = { phone: { create: { number: 'P1' } }, profile: { create: { bio: 'B1' } } };
      const owner = await createUser(
        { ...given, posts: { create: [post('X')] } },
        'id phone { id } posts { nodes { id } }',
      );
      const [postId] = nodeIds(owner.posts);
      const taker = await createUser(
        {
          phone: { connect: { userId: owner.id } },
          profile: { connect: { ownerId: owner.id } },
          posts: { connect: [{ id: postId }] },
        },
        'id phone { id number } profile { bio } posts { nodes { id } }',
      );
      expect(taker).toMatchObject({
        phone: { id: idOf(owner.phone), number: 'P1' },
        profile: { bio: 'B1' },
        posts: { nodes: [{ id: postId }] },
      });
      expect(await rowsWhere('Phone', 'userId', owner.id)).toEqual([]);
      expect(await rowsWhere('Profile', 'ownerId', owner.id)).toEqual([]);
      expect(await rowsWhere('Post', 'authorId', taker.id)).toMatchObject([{ id: Number(postId) }]);
    });

    it('connectOrCreate finds an existing role by name and creates a missing one', async () => {
      const role = (name: string) => ({ connectOrCreate: { where: { name }, create: { name } } });
      const pick = (name: string) => ({ roleId: undefined, role: role(name) });
      expect((await createUser(pick('admin'), 'role { id }')).role).toEqual({ id: roles.admin });
      expect((await createUser(pick('auditor'), 'role { name }')).role).toEqual({ name: 'auditor' });
      expect(await rowsOf(api.server, 'Role', { field: 'name', value: 'auditor' })).toHaveLength(1);
      expect(await rowsOf(api.server, 'Role', { field: 'name', value: 'admin' })).toHaveLength(1);
    });
  });

  describe('update', () => {
    it('changes only the given scalar fields', async () => {
      const user = await createUser({}, 'id email');
      const expected = { name: 'Renamed', email: user.email };
      expect(await updateUser(user.id, { name: 'Renamed' }, 'name email')).toEqual(expected);
      expect(await rowsWhere('User', 'id', user.id)).toMatchObject([expected]);
    });

    it('updates, deletes and recreates the phone; a required hasOne offers no disconnect', async () => {
      const offered = ['create', 'connect', 'connectOrCreate', 'update', 'delete'];
      expect(inputFieldsOf(api, 'UserPhoneUpdateInput')).toEqual(offered);
      const user = await createUser({ phone: { create: { number: 'old' } } }, 'id phone { id }');
      const updated = await updateUser(
        user.id,
        { phone: { update: { number: 'new' } } },
        'phone { id number }',
      );
      expect(updated.phone).toEqual({ id: idOf(user.phone), number: 'new' });
      expect(await rowsWhere('Phone', 'userId', user.id)).toMatchObject([{ number: 'new' }]);
      expect(await updateUser(user.id, { phone: { delete: true } }, 'phone { id }')).toEqual({ phone: null });
      expect(await rowsWhere('Phone', 'userId', user.id)).toEqual([]);
      const again = await updateUser(user.id, { phone: { create: { number: 'again' } } }, 'phone { number }');
      expect(again.phone).toEqual({ number: 'again' });
    });

    it('connects, updates, disconnects (from either side) and deletes the optional address', async () => {
      const offered = ['connect', 'update', 'disconnect', 'delete'];
      expect(inputFieldsOf(api, 'UserAddressUpdateInput')).toEqual(expect.arrayContaining(offered));
      const addressId = await createAddress();
      const user = await createUser();
      const stored = () => rowsWhere('User', 'id', user.id);
      await updateUser(user.id, { address: { connect: { id: addressId } } });
      expect(await stored()).toMatchObject([{ addressId: Number(addressId) }]);
      const moved = await updateUser(
        user.id,
        { address: { update: { city: 'Tromsø' } } },
        'address { city }',
      );
      expect(moved.address).toEqual({ city: 'Tromsø' });
      const disconnected = await updateUser(user.id, { address: { disconnect: true } }, 'address { id }');
      expect(disconnected).toEqual({ address: null });
      expect(await stored()).toMatchObject([{ addressId: null }]);
      expect(await rowsWhere('Address', 'id', addressId)).toMatchObject([{ city: 'Tromsø' }]);
      // The same link from the address's side (a hasOne over an optional key): connect, then disconnect.
      const fromAddress =
        'mutation ($id: ID!, $input: UpdateAddressInput!) { updateAddress(id: $id, input: $input) { id } }';
      await ok(api, fromAddress, { id: addressId, input: { user: { connect: { id: user.id } } } });
      expect(await stored()).toMatchObject([{ addressId: Number(addressId) }]);
      await ok(api, fromAddress, { id: addressId, input: { user: { disconnect: true } } });
      expect(await stored()).toMatchObject([{ addressId: null }]);
      await updateUser(user.id, { address: { connect: { id: addressId } } });
      const deleted = await updateUser(user.id, { address: { delete: true } }, 'addressId address { id }');
      expect(deleted).toEqual({ addressId: null, address: null });
      expect(await rowsWhere('Address', 'id', addressId)).toEqual([]);
      expect(await stored()).toMatchObject([{ addressId: null }]);
    });

    it('creates, connects, updates and deletes posts in one call; a required hasMany offers no disconnect', async () => {
      const offered = inputFieldsOf(api, 'UserPostsUpdateInput');
      expect(offered).toEqual(['create', 'connect', 'connectOrCreate', 'update', 'delete']);
      const user = await createUser(
        { posts: { create: [post('P1'), post('P2')] } },
        'id posts { nodes { id } }',
      );
      const [p1, p2] = nodeIds(user.posts);
      const other = await createUser({ posts: { create: [post('Theirs')] } }, 'id posts { nodes { id } }');
      const [p3] = nodeIds(other.posts);
      const posts = {
        create: [post('New')],
        connect: [{ id: p3 }],
        update: [{ where: { id: p1 }, data: { title: 'P1 edited', status: 'published' } }],
        delete: [{ id: p2 }],
      };
      const updated = await updateUser(user.id, { posts }, 'posts { nodes { title status } }');
      expect(updated.posts).toEqual({
        nodes: [
          { title: 'P1 edited', status: 'published' },
          { title: 'Theirs', status: 'draft' },
          { title: 'New', status: 'draft' },
        ],
      });
      expect(await rowsWhere('Post', 'id', p2)).toEqual([]);
      expect(await rowsWhere('Post', 'authorId', other.id)).toEqual([]);
      expect(await rowsWhere('Post', 'authorId', user.id)).toHaveLength(3);
    });

    it('connectOrCreate keeps the existing profile, or creates one when there is none', async () => {
      const user = await createUser({ profile: { create: { bio: 'Kept.' } } }, 'id profile { id }');
      const profile = (id: unknown) => ({
        connectOrCreate: { where: { ownerId: id }, create: { bio: 'Fresh.' } },
      });
      const upsert = (id: unknown) => ({ profile: profile(id) });
      const kept = { profile: { id: idOf(user.profile), bio: 'Kept.' } };
      expect(await updateUser(user.id, upsert(user.id), 'profile { id bio }')).toEqual(kept);
      expect(await rowsWhere('Profile', 'ownerId', user.id)).toHaveLength(1);
      const bare = await createUser();
      const created = await updateUser(bare.id, upsert(bare.id), 'profile { bio }');
      expect(created).toEqual({ profile: { bio: 'Fresh.' } });
      expect(await rowsWhere('Profile', 'ownerId', bare.id)).toMatchObject([{ bio: 'Fresh.' }]);
    });

    it('re-parents a phone to another user from either side of the link', async () => {
      const first = await createUser({ phone: { create: { number: 'travels' } } }, 'id phone { id }');
      const second = await createUser();
      const phoneId = idOf(first.phone);
      const query = `mutation ($id: ID!, $to: ID!) {
        updatePhone(id: $id, input: { user: { connect: { id: $to } } }) { user { id } }
      }`;
      const moved = (await ok(api, query, { id: phoneId, to: second.id })).updatePhone;
      expect(moved).toEqual({ user: { id: second.id } });
      expect(await rowsWhere('Phone', 'userId', first.id)).toEqual([]);
      expect(await rowsWhere('Phone', 'userId', second.id)).toMatchObject([{ id: Number(phoneId) }]);
      const back = await updateUser(first.id, { phone: { connect: { id: phoneId } } }, 'phone { id }');
      expect(back).toEqual({ phone: { id: phoneId } });
      expect(await rowsWhere('Phone', 'userId', second.id)).toEqual([]);
    });
  });

  describe('delete', () => {
    it('cascades from a user to its phone, profile and posts', async () => {
      const user = await createUser(family(2), 'id name');
      const data = await ok(api, 'mutation ($id: ID!) { deleteUser(id: $id) { id name } }', { id: user.id });
      expect(data.deleteUser).toEqual(user);
      for (const [model, key] of Object.entries({
        User: 'id',
        Phone: 'userId',
        Profile: 'ownerId',
        Post: 'authorId',
      })) {
        expect(await rowsWhere(model, key, user.id)).toEqual([]);
      }
    });

    it('sets users.address_id to null when their address is deleted', async () => {
      const address = { create: { street: 'Demolished', city: 'Oslo' } };
      const user = await createUser({ address }, 'id addressId');
      const query = 'mutation ($id: ID!) { deleteAddress(id: $id) { street } }';
      const data = await ok(api, query, { id: user.addressId });
      expect(data.deleteAddress).toEqual({ street: 'Demolished' });
      expect(await rowsWhere('User', 'id', user.id)).toMatchObject([{ addressId: null }]);
    });

    it('refuses to delete a role its users still have (restrict), deleting nothing; an unused role goes', async () => {
      const user = await createUser(
        { roleId: undefined, role: { create: { name: 'kept' } } },
        'id role { id }',
      );
      const roleId = idOf(user.role);
      const remove = 'mutation ($id: ID!) { deleteRole(id: $id) { name } }';
      const refused = await api.query(remove, { id: roleId });
      expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['CONSTRAINT']);
      expect(refused.errors?.[0]?.message).toContain('User.role');
      expect(await rowsWhere('Role', 'id', roleId)).toHaveLength(1);
      expect(await rowsWhere('User', 'id', user.id)).toHaveLength(1);
      await updateUser(user.id, { roleId: roles.member });
      expect((await ok(api, remove, { id: roleId })).deleteRole).toEqual({ name: 'kept' });
      expect(await rowsWhere('Role', 'id', roleId)).toEqual([]);
    });
  });

  describe('several mutation fields in one request', () => {
    it('runs them in order, each reading what the ones before wrote, and commits them together', async () => {
      const result = await api.query(
        `mutation ($email: String!) {
          role: createRole(input: { name: "ordered" }) { name }
          user: createUser(input: { name: "Ord", email: $email, role: { connect: { name: "ordered" } } }) {
            role { name } phone { id }
          }
          phone: createPhone(input: { number: "+47 5", user: { connect: { email: $email } } }) { user { phone { number } } }
          post: createPost(input: { title: "T", body: "B", status: published, author: { connect: { email: $email } } }) {
            author { role { name } phone { number } }
          }
        }`,
        { email: email('ordered') },
      );
      const role = { name: 'ordered' };
      const phone = { number: '+47 5' };
      const expected = { role, user: { role, phone: null }, phone: { user: { phone } } };
      expect(result.data).toEqual({ ...expected, post: { author: { role, phone } } });
      expect(result.errors).toBeUndefined();
    });
  });

  describe('statement counts', () => {
    const query = `mutation ($input: CreateUserInput!) {
      createUser(input: $input) { id phone { number } profile { bio } address { street } posts { nodes { title } } }
    }`;
    const nested = (posts: number) => ({
      input: { name: 'Counted', email: email('counted'), roleId: roles.member, ...family(posts) },
    });

    it('creates a user with phone, profile, address and 5 posts in 9 statements', async () => {
      const result = await api.query(query, nested(5));
      expect(result.errors).toBeUndefined();
      expect(nodeIds((result.data?.createUser as Row | undefined)?.posts)).toHaveLength(5);
      // Writes: INSERT address (the parent, first), INSERT user, INSERT phone, INSERT profile and ONE
      // INSERT of all 5 posts = 5. Reads of the returned user (its own row is primed): phone, profile,
      // address and posts, one loader statement each = 4. roleId is a plain key: no lookup.
      expect(result.extensions?.sql?.statements).toBe(9);
    });

    it('costs the same with 1 post as with 5: the posts are one INSERT', async () => {
      expect(await api.statementsOf(query, nested(1))).toBe(await api.statementsOf(query, nested(5)));
    });

    it('creates a role with 3 new users, each with phone and profile, in one INSERT per table: 4', async () => {
      const users = ['c', 'd', 'e'].map((who) => ({
        name: who,
        email: email(who),
        ...family(0),
        address: undefined,
      }));
      const create =
        'mutation ($users: [CreateUserWithoutRoleInput!]) { createRole(input: { name: "batch", users: { create: $users } }) { id } }';
      // INSERT role, then ONE INSERT of the 3 users, ONE of their 3 phones, ONE of their 3 profiles.
      expect(await api.statementsOf(create, { users })).toBe(4);
      const [batch] = await rowsOf(api.server, 'Role', { field: 'name', value: 'batch' });
      const members = await rowsWhere('User', 'roleId', batch?.id);
      expect(members.map((member) => member.email)).toEqual(users.map((user) => user.email));
      for (const member of members) expect(await rowsWhere('Phone', 'userId', member.id)).toHaveLength(1);
    });
  });

  describe('links on custom keys and columns', () => {
    let custom: TestServer;
    beforeAll(async () => {
      custom = await startTestServer(driver, customKeyModels());
    });
    afterAll(() => custom?.close());

    const run = (query: string, variables?: Row) => ok(custom, query, variables);
    const column = async (table: string, name: string, where: string, value: string) => {
      const query = sql.raw(`select ${name} as v from ${table} where ${where} = '${value}' order by id`);
      return (await sqlRows(custom.server, query)).map((row) => row.v);
    };

    it('creates an account with its card and entries, storing its number in the renamed key columns', async () => {
      const data = await run(`mutation {
        createAccount(input: {
          number: "ACC-1", card: { create: { label: "Visa" } }, entries: { create: [{ amount: 5 }, { amount: 7 }] }
        }) { number card { label accountNumber } entries { nodes { amount accountRef } } }
      }`);
      const entries = { nodes: [5, 7].map((amount) => ({ amount, accountRef: 'ACC-1' })) };
      const card = { label: 'Visa', accountNumber: 'ACC-1' };
      expect(data.createAccount).toEqual({ number: 'ACC-1', card, entries });
      expect(await column('cards', 'label', 'owner_key', 'ACC-1')).toEqual(['Visa']);
      expect(await column('entries', 'amount', 'foreign_key', 'ACC-1')).toEqual([5, 7]);
    });

    it('connects or creates the account by number, takes the plain key, and moves and disconnects entries', async () => {
      const data = await run(`mutation {
        account: createAccount(input: { number: "ACC-2" }) { id }
        card: createCard(input: { label: "Amex", account: { connect: { number: "ACC-2" } } }) { id accountNumber }
        debit: createCard(input: { label: "Debit", account: { create: { number: "ACC-3" } } }) { accountNumber }
        entry: createEntry(input: { amount: 11, accountRef: "ACC-2" }) { id account { number } }
      }`);
      expect(data).toMatchObject({ card: { accountNumber: 'ACC-2' }, debit: { accountNumber: 'ACC-3' } });
      expect(data.entry).toMatchObject({ account: { number: 'ACC-2' } });
      expect(await column('cards', 'label', 'owner_key', 'ACC-3')).toEqual(['Debit']);
      const [five] = await column('entries', 'id', 'amount', '5');
      const entries = { connect: [{ id: five }], disconnect: [{ id: idOf(data.entry) }] };
      const query = `mutation ($id: ID!, $input: UpdateAccountInput!) {
        updateAccount(id: $id, input: $input) { card { label } entries { nodes { amount } } }
      }`;
      const input = { entries, card: { update: { label: 'Gold' } } };
      const moved = await run(query, { id: idOf(data.account), input });
      expect(moved.updateAccount).toEqual({ card: { label: 'Gold' }, entries: { nodes: [{ amount: 5 }] } });
      expect(await column('entries', 'amount', 'foreign_key', 'ACC-2')).toEqual([5]);
      expect(await column('entries', 'foreign_key', 'amount', '11')).toEqual([null]);
      const reparent = `mutation ($id: ID!) {
        updateCard(id: $id, input: { account: { connectOrCreate: { where: { number: "ACC-4" }, create: { number: "ACC-4" } } } }) {
          account { number }
        }
      }`;
      const reparented = (await run(reparent, { id: idOf(data.card) })).updateCard;
      expect(reparented).toEqual({ account: { number: 'ACC-4' } });
      expect(await column('cards', 'label', 'owner_key', 'ACC-4')).toEqual(['Gold']);
    });
  });
});
