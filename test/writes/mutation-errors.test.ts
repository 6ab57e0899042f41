/**
 * Mutation errors: each code with its message, `extensions.code` and `extensions.path`; every failed
 * call writes nothing (all tables counted before and after) and no response shows SQL or a stack trace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModels } from '../../models/index.ts';
import { drivers } from '../support/databases.ts';
import { rowCounts, rowsOf } from '../support/row-counts.ts';
import { type GraphQLResponse, startTestServer, type TestServer } from '../support/test-server.ts';

type Row = Record<string, unknown>;

const CREATE_USER = 'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }';
const UPDATE_USER =
  'mutation ($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id } }';
const CREATE_PHONE = 'mutation ($input: CreatePhoneInput!) { createPhone(input: $input) { id } }';
const post = (title: string) => ({ title, body: 'Body.', status: 'draft' });

/** SQL text, driver names and stack frames: none may reach a client. */
function expectNoLeak(result: GraphQLResponse) {
  const text = JSON.stringify(result);
  expect(text).not.toMatch(
    /insert into|select |delete from|update "|returning|violates|duplicate key|postgres/i,
  );
  expect(text).not.toMatch(/\bat \/|\.ts:\d+|\.js:\d+|stack/);
}

/** A user made in `beforeAll`: its id, email, and its phone's and first post's ids (when it has them). */
interface Fixture {
  readonly id: string;
  readonly email: string;
  readonly phone: string;
  readonly post: string;
}

interface Expected {
  readonly message?: string | RegExp;
  readonly path?: string;
  readonly extensions?: Row;
}

describe.each(drivers)('mutation errors on %s', (driver) => {
  let api: TestServer;
  const roles: Record<string, string> = {};
  let owner: Fixture;
  let other: Fixture;
  let bare: Fixture;
  let serial = 0;
  const email = (who: string) => `${who}.${++serial}@example.com`;
  const ada = () => ({ name: 'Ada', email: email('ada'), roleId: roles.member });

  beforeAll(async () => {
    api = await startTestServer(driver, demoModels);
    const role = 'mutation ($name: String!) { createRole(input: { name: $name }) { id } }';
    for (const name of ['admin', 'member']) {
      roles[name] = String(((await api.query(role, { name })).data?.createRole as Row | undefined)?.id);
    }
    const create = async (input: Row): Promise<Fixture> => {
      const query = `mutation ($input: CreateUserInput!) {
        createUser(input: $input) { id email phone { id } posts { nodes { id } } }
      }`;
      const user = (await api.query(query, { input: { ...ada(), ...input } })).data?.createUser as Row;
      const [first] = (user.posts as { nodes: Row[] }).nodes;
      const phone = user.phone as Row | null;
      return {
        id: String(user.id),
        email: String(user.email),
        phone: String(phone?.id),
        post: String(first?.id),
      };
    };
    const family = { phone: { create: { number: '+47 1' } }, profile: { create: { bio: 'Hi.' } } };
    owner = await create({ ...family, posts: { create: [post('Mine')] } });
    other = await create({ ...family, posts: { create: [post('Theirs')] } });
    bare = await create({});
  });
  afterAll(() => api?.close());

  /** Runs a request that must fail with one error of `code`, write nothing, and leak nothing. */
  async function expectError(query: string, variables: Row, code: string, expected: Expected = {}) {
    const before = await rowCounts(api.server);
    const result = await api.query(query, variables);
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual([code]);
    const [error] = result.errors ?? [];
    if (expected.message) expect(error?.message).toMatch(expected.message);
    if (expected.path) expect(error?.extensions?.path).toBe(expected.path);
    if (expected.extensions) expect(error?.extensions).toMatchObject(expected.extensions);
    expectNoLeak(result);
    expect(await rowCounts(api.server)).toEqual(before);
    return result;
  }
  const createUser = (input: Row, code: string, expected?: Expected) =>
    expectError(CREATE_USER, { input: { ...ada(), ...input } }, code, expected);
  const phonesOf = (user: { id: string }) =>
    rowsOf(api.server, 'Phone', { field: 'userId', value: Number(user.id) });

  describe('NOT_FOUND', () => {
    it.each([
      [
        'a hasOne',
        { phone: { connect: { id: '999999' } } },
        'input.phone.connect',
        'no Phone with id "999999"',
      ],
      [
        'a belongsTo, by name',
        { roleId: undefined, role: { connect: { name: 'nobody' } } },
        'input.role.connect',
        'no Role with name "nobody"',
      ],
      [
        'a hasMany',
        { posts: { connect: [{ id: '999999' }] } },
        'input.posts.connect[0]',
        'no Post with id "999999"',
      ],
    ])(
      'connecting %s to a missing row names the model, the key and the input path',
      async (_, input, path, what) => {
        await createUser(input, 'NOT_FOUND', { path, message: `${path}: ${what}.` });
      },
    );

    it('a plain foreign key to a missing row names the model and the key', async () => {
      await createUser({ roleId: '999999' }, 'NOT_FOUND', {
        message: 'No Role has id "999999" (given for User.roleId).',
        extensions: { model: 'Role', field: 'id' },
      });
    });

    it('updating or deleting a missing id names the model and the id', async () => {
      await expectError(UPDATE_USER, { id: '999999', input: { name: 'X' } }, 'NOT_FOUND', {
        message: /no User with id "999999"/,
        extensions: { model: 'User' },
      });
      const deleted = await expectError('mutation { deleteUser(id: 999999) { id } }', {}, 'NOT_FOUND', {
        message: /no User with id "999999"/,
      });
      // A mutation with an error commits nothing and answers no data (test/writes/mutation-transaction.test.ts).
      expect(deleted.data).toBeNull();
    });

    it('a nested update of a row that is not linked to the parent is not found', async () => {
      const update = [{ where: { id: other.post }, data: { title: 'Stolen' } }];
      await expectError(UPDATE_USER, { id: owner.id, input: { posts: { update } } }, 'NOT_FOUND', {
        path: 'input.posts.update[0]',
        message: /no Post/,
      });
      await expectError(
        UPDATE_USER,
        { id: bare.id, input: { phone: { update: { number: '1' } } } },
        'NOT_FOUND',
        {
          path: 'input.phone.update',
          message: /no Phone linked to this User/,
        },
      );
    });
  });

  describe('BAD_USER_INPUT', () => {
    it('refuses create and connect given together, naming the relation’s path', async () => {
      const phone = { create: { number: '1' }, connect: { id: other.phone } };
      await createUser({ phone }, 'BAD_USER_INPUT', {
        path: 'input.phone',
        message: /received create and connect/,
      });
    });

    it.each([
      ['no unique field', {}, 'received none'],
      ['two unique fields', { id: '1', userId: '1' }, 'received id and userId'],
    ])('refuses a connect with %s', async (_, connect, received) => {
      await createUser({ phone: { connect } }, 'BAD_USER_INPUT', {
        path: 'input.phone.connect',
        message: new RegExp(`give exactly one unique field of Phone \\(id, userId\\); ${received}`),
      });
    });

    it('refuses an unknown unique field before running, in a literal and in a variable', async () => {
      const literal = `mutation {
        createUser(input: { name: "A", email: "x@example.com", roleId: ${roles.member}, phone: { connect: { number: "1" } } }) { id }
      }`;
      await expectError(literal, {}, 'BAD_USER_INPUT', {
        message: 'Field "number" is not defined by type "PhoneUniqueInput".',
      });
      await createUser({ phone: { connect: { number: '1' } } }, 'BAD_USER_INPUT', {
        message: /at "input\.phone\.connect"; Field "number" is not defined by type "PhoneUniqueInput"/,
      });
    });

    it.each([
      ['a date', { createdAt: 'yesterday' }, /at "input\.createdAt"; DateTime must be an ISO-8601 date-time/],
      ['a name', { name: 42 }, /at "input\.name"; String cannot represent a non string value: 42/],
      [
        'a post status',
        { posts: { create: [{ ...post('X'), status: 'archived' }] } },
        /at "input\.posts\.create\[0\]\.status"/,
      ],
    ])('refuses %s of the wrong type before running, saying where it is', async (_, input, message) => {
      await createUser(input, 'BAD_USER_INPUT', { message });
    });

    it.each([
      ['a connect', { phone: { connect: { id: 'abc' } } }, 'input.phone.connect.id'],
      ['a foreign key', { roleId: 'abc' }, 'input.roleId'],
    ])('refuses an id that is not an integer in %s, naming its path', async (_, input, path) => {
      await createUser(input, 'BAD_USER_INPUT', { path, message: /is a 32-bit integer, but received "abc"/ });
    });

    it('refuses a User without its required role, at any depth', async () => {
      await createUser({ roleId: undefined }, 'BAD_USER_INPUT', {
        path: 'input',
        message: /give roleId or role/,
      });
      const user = { create: { name: 'Deep', email: email('deep') } };
      await expectError(CREATE_PHONE, { input: { number: '1', user } }, 'BAD_USER_INPUT', {
        path: 'input.user.create',
        message: 'input.user.create: a User needs a Role: give roleId or role: { connect | create }.',
      });
    });

    it('refuses strings shorter than minLength, and null for a required field', async () => {
      await createUser({ name: '' }, 'BAD_USER_INPUT', {
        path: 'input.name',
        message: 'input.name: User.name needs at least 1 character; received 0.',
      });
      await createUser({ posts: { create: [post('Fine'), post('')] } }, 'BAD_USER_INPUT', {
        path: 'input.posts.create[1].title',
      });
      await expectError(UPDATE_USER, { id: owner.id, input: { name: null } }, 'BAD_USER_INPUT', {
        path: 'input.name',
        message: 'input.name: User.name is required and cannot be null.',
      });
    });

    it('offers no disconnect for the required posts: asking for it is refused before running', async () => {
      const input = { posts: { disconnect: [{ id: owner.post }] } };
      await expectError(UPDATE_USER, { id: owner.id, input }, 'BAD_USER_INPUT', {
        message: /Field "disconnect" is not defined by type "UserPostsUpdateInput"/,
      });
      expect(await rowsOf(api.server, 'Post', { field: 'id', value: Number(owner.post) })).toMatchObject([
        { authorId: Number(owner.id) },
      ]);
    });
  });

  describe('CONFLICT', () => {
    it('refuses a duplicate email on create and on update, naming the field', async () => {
      const conflict = {
        message: `A User with email "${other.email}" already exists (User.email is unique).`,
        extensions: { model: 'User', field: 'email' },
      };
      await createUser({ email: other.email }, 'CONFLICT', conflict);
      await expectError(UPDATE_USER, { id: owner.id, input: { email: other.email } }, 'CONFLICT', conflict);
    });

    it.each([
      ['createPhone with userId', CREATE_PHONE, (id: string) => ({ input: { number: '2', userId: id } })],
      [
        'createPhone with user.connect',
        CREATE_PHONE,
        (id: string) => ({ input: { number: '2', user: { connect: { id } } } }),
      ],
      [
        'updateUser with phone.create',
        UPDATE_USER,
        (id: string) => ({ id, input: { phone: { create: { number: '2' } } } }),
      ],
    ])('refuses a second phone for a user: %s', async (_, query, variables) => {
      await expectError(query, variables(owner.id), 'CONFLICT', {
        message: `User "${owner.id}" already has a Phone (Phone.userId is unique).`,
        extensions: { model: 'Phone', field: 'userId' },
      });
      expect(await phonesOf(owner)).toMatchObject([{ id: Number(owner.phone) }]);
    });

    it('refuses to connect another user’s phone to a user who has one, moving nothing', async () => {
      const input = { phone: { connect: { id: other.phone } } };
      await expectError(UPDATE_USER, { id: owner.id, input }, 'CONFLICT', {
        message: `User "${owner.id}" already has a Phone (Phone.userId is unique).`,
      });
      expect(await phonesOf(other)).toMatchObject([{ id: Number(other.phone) }]);
      expect(await phonesOf(owner)).toMatchObject([{ id: Number(owner.phone) }]);
    });

    it('refuses an address that already has its user (a unique belongsTo), by key or by connect', async () => {
      const address = { create: { street: 'Taken', city: 'Oslo' } };
      const housed = await api.query(CREATE_USER.replace('{ id }', '{ addressId }'), {
        input: { ...ada(), address },
      });
      const addressId = String((housed.data?.createUser as Row | undefined)?.addressId);
      const conflict = { message: `Address "${addressId}" already has a User (User.addressId is unique).` };
      await createUser({ addressId }, 'CONFLICT', conflict);
      await createUser({ address: { connect: { id: addressId } } }, 'CONFLICT', conflict);
    });
  });

  describe('CONSTRAINT', () => {
    it('refuses to delete a role users still have, naming the blocking relation', async () => {
      await expectError(`mutation { deleteRole(id: ${roles.member}) { id } }`, {}, 'CONSTRAINT', {
        message: `Role "${roles.member}" cannot be deleted: User rows still point at it through User.role (onDelete: restrict). Delete or move them first.`,
        extensions: { model: 'Role', blockedBy: 'User.role' },
      });
    });
  });

  describe('atomicity', () => {
    const family = {
      phone: { create: { number: '+47 3' } },
      profile: { create: { bio: 'Rolled back.' } },
      address: { create: { street: 'Nowhere', city: 'Oslo' } },
    };

    it.each([
      [
        'an invalid second post',
        { ...family, posts: { create: [post('Fine'), post('')] } },
        'BAD_USER_INPUT',
      ],
      [
        'a missing post to connect',
        { ...family, posts: { create: [post('Fine')], connect: [{ id: '999999' }] } },
        'NOT_FOUND',
      ],
      [
        'a missing role, after its address',
        { address: family.address, roleId: undefined, role: { connect: { id: '999999' } } },
        'NOT_FOUND',
      ],
    ])('a nested createUser failing on %s leaves no row in any table', async (_, input, code) => {
      await createUser(input, code);
    });

    it('a createPhone failing deep inside its new user leaves no row in any table', async () => {
      const posts = { create: [post('Deep')], connect: [{ id: '999999' }] };
      const user = { create: { ...ada(), profile: family.profile, posts } };
      await expectError(CREATE_PHONE, { input: { number: '+47 4', user } }, 'NOT_FOUND', {
        path: 'input.user.create.posts.connect[0]',
      });
    });

    it('a createRole whose second new user repeats the first one’s email leaves no row in any table', async () => {
      const twin = email('twin');
      const twins = [
        { name: 'One', email: twin, ...family },
        { name: 'Two', email: twin },
      ];
      await expectError(
        'mutation ($users: [CreateUserWithoutRoleInput!]) { createRole(input: { name: "twins", users: { create: $users } }) { id } }',
        { users: twins },
        'CONFLICT',
        { message: `A User with email "${twin}" already exists (User.email is unique).` },
      );
    });

    it('a failed updateUser leaves the user, its phone and its posts as they were', async () => {
      const input = {
        name: 'Changed',
        phone: { update: { number: 'changed' } },
        posts: { delete: [{ id: '999999' }] },
      };
      await expectError(UPDATE_USER, { id: owner.id, input }, 'NOT_FOUND', { path: 'input.posts.delete[0]' });
      expect(await rowsOf(api.server, 'User', { field: 'id', value: Number(owner.id) })).toMatchObject([
        { name: 'Ada' },
      ]);
      expect(await phonesOf(owner)).toMatchObject([{ number: '+47 1' }]);
    });

    it('rolls back the writes of earlier mutation fields when a later one fails, and all of the failed one', async () => {
      const result = await api.query(
        `mutation ($taken: String!) {
          role: createRole(input: { name: "also rolled back" }) { id }
          user: createUser(input: { name: "Dup", email: $taken, role: { create: { name: "rolled back" } } }) { id }
        }`,
        { taken: owner.email },
      );
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['CONFLICT']);
      expectNoLeak(result);
      expect(result.data).toBeNull();
      expect(await rowsOf(api.server, 'Role', { field: 'name', value: 'also rolled back' })).toEqual([]);
      expect(await rowsOf(api.server, 'Role', { field: 'name', value: 'rolled back' })).toEqual([]);
    });
  });
});
