/**
 * The conventions table of DESIGN.md ("Relation options and conventions"), every default and every
 * override, asserted on what the database catalog says after a push — on both drivers.
 */
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseConnection, Driver } from '../../db/client.ts';
import {
  belongsTo,
  buildRelationGraph,
  buildTables,
  field,
  type GraphRelation,
  hasMany,
  hasOne,
  type Model,
  model,
  pushSchema,
  type Relation,
} from '../../index.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../support/databases.ts';
import { executeRows } from '../support/row-counts.ts';
import { countryCapitalModels, engineCarModels } from '../support/text-key-models.ts';

// Each function below is one small model set, pushed into a database of its own.

/** A model whose only field is its primary key. */
const idOnly = (name: string, relations: Record<string, Relation> = {}): Model =>
  model(name, { fields: { id: field.id() }, relations });

function hasOneModels(): Model[] {
  const [Phone, Passport, Locker] = [idOnly('Phone'), idOnly('Passport'), idOnly('Locker')] as const;
  const User = idOnly('User', {
    phone: hasOne(() => Phone),
    passport: hasOne(() => Passport, { foreignKey: 'holderId' }),
    locker: hasOne(() => Locker, { column: 'foreign_key' }),
  });
  return [User, Phone, Passport, Locker];
}

/** Links matching a unique field rather than the primary key (localKey, ownerKey). */
function uniqueKeyModels(): Model[] {
  const Badge = idOnly('Badge');
  const User = model('User', {
    fields: { id: field.id(), code: field.string({ unique: true }) },
    relations: { badge: hasOne(() => Badge, { localKey: 'code' }) },
  });
  const Order = idOnly('Order', { customer: belongsTo(() => User, { ownerKey: 'code' }) });
  // An existing database: both keys are declared fields with their own column names.
  const Card = model('Card', {
    fields: { id: field.id(), accountNumber: field.string({ column: 'owner_key' }) },
  });
  const Account = model('Account', {
    fields: { id: field.id(), number: field.string({ unique: true, column: 'local_key' }) },
    relations: { card: hasOne(() => Card, { foreignKey: 'accountNumber', localKey: 'number' }) },
  });
  return [User, Badge, Order, Account, Card];
}

function belongsToModels(): Model[] {
  const [Address, Post] = [idOnly('Address'), idOnly('Post')] as const;
  const User = idOnly('User', { address: belongsTo(() => Address, { unique: true }) });
  const Comment = model('Comment', {
    fields: { id: field.id(), reviewerId: field.int({ optional: true }) },
    relations: {
      post: belongsTo(() => Post),
      author: belongsTo(() => User, { foreignKey: 'writtenBy' }),
      editor: belongsTo(() => User, { optional: true }),
      thread: belongsTo(() => Post, { onDelete: 'restrict' }),
      reviewer: belongsTo(() => User),
    },
  });
  return [User, Address, Post, Comment];
}

function hasManyModels(): Model[] {
  const Draft = idOnly('Draft');
  const Author = idOnly('Author', {
    posts: hasMany(() => Post),
    edits: hasMany(() => Post, { foreignKey: 'editorId' }),
    drafts: hasMany(() => Draft),
  });
  const Post = model('Post', {
    fields: { id: field.id(), title: field.string() },
    relations: { author: belongsTo(() => Author) },
  });
  return [Author, Post, Draft];
}

function keyTypeModels(): Model[] {
  const Tenant = model('Tenant', { fields: { id: field.id({ type: 'bigint' }) } });
  const Member = idOnly('Member');
  const Org = model('Org', {
    fields: { id: field.id({ type: 'uuid' }) },
    relations: { members: hasMany(() => Member) },
  });
  const Site = idOnly('Site', {
    tenant: belongsTo(() => Tenant),
    org: belongsTo(() => Org),
    member: belongsTo(() => Member),
  });
  return [Tenant, Org, Member, Site];
}

/** A unique enum field as owner key: the foreign key must share its enum type. */
function enumKeyModels(): Model[] {
  const Tag = model('Tag', {
    fields: { id: field.id(), code: field.enum(['news', 'howto'], { unique: true }) },
  });
  return [Tag, idOnly('Post', { tag: belongsTo(() => Tag, { ownerKey: 'code' }) })];
}

/** Thunks in a cycle, a string target, an explicit inverse, and two independent links. */
function pairingModels(): Model[] {
  const User = idOnly('User', {
    phone: hasOne('Phone'),
    profile: hasOne(() => Profile, { inverse: 'owner' }),
    friendsAddress: belongsTo(() => Address, { optional: true }),
  });
  const Phone = model('Phone', {
    fields: { id: field.id(), number: field.string() },
    relations: { user: belongsTo(() => User) },
  });
  const Profile = idOnly('Profile', { owner: belongsTo(() => User, { inverse: 'profile' }) });
  const Address = idOnly('Address', { resident: belongsTo(() => User, { optional: true }) });
  return [User, Phone, Profile, Address];
}

/** A hasOne/hasMany naming no key beside the one belongsTo back, which names its own keys. */
function inferredPairModels(): Model[] {
  const Team = idOnly('Team', { players: hasMany(() => Player) });
  const Player = idOnly('Player', { club: belongsTo(() => Team, { foreignKey: 'clubId' }) });
  const Employee: Model = idOnly('Employee', {
    reports: hasMany(() => Employee),
    manager: belongsTo(() => Employee, { optional: true }),
  });
  return [...engineCarModels(), ...countryCapitalModels(), Team, Player, Employee];
}

function namingModels(): Model[] {
  return [
    model('PostComment', { fields: { id: field.id(), createdAt: field.datetime({ default: 'now' }) } }),
    idOnly('Address'),
    idOnly('Category'),
    model('Person', { table: 'people', fields: { id: field.id(), firstName: field.string() } }),
  ];
}

type Database = ReturnType<DatabaseConnection['database']>;

/** pg_constraint.confdeltype */
const ON_DELETE: Record<string, string> = { c: 'cascade', n: 'set null', r: 'restrict', a: 'no action' };

/**
 * A column as the catalog sees it, in one line: type (an enum by its name), nullability, each index on
 * the column alone, each foreign key from it — `integer NOT NULL, UNIQUE index, references users.id on
 * delete cascade` — or `undefined` when the column does not exist.
 */
async function describeColumn(db: Database, table: string, column: string) {
  const [info] = await executeRows<{ data_type: string; udt_name: string; is_nullable: string }>(
    db,
    sql`select data_type, udt_name, is_nullable from information_schema.columns
        where table_schema = 'public' and table_name = ${table} and column_name = ${column}`,
  );
  if (!info) return undefined;
  const indexes = await executeRows<{ indexdef: string }>(
    db,
    sql`select indexdef from pg_indexes where schemaname = 'public' and tablename = ${table} order by indexname`,
  );
  const foreignKeys = await executeRows<{ ref_table: string; ref_column: string; on_delete: string }>(
    db,
    sql`select rt.relname::text as ref_table, ra.attname::text as ref_column, c.confdeltype::text as on_delete
        from pg_constraint c
        join pg_class t on t.oid = c.conrelid
        join pg_namespace n on n.oid = t.relnamespace
        join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
        join pg_class rt on rt.oid = c.confrelid
        join pg_attribute ra on ra.attrelid = c.confrelid and ra.attnum = c.confkey[1]
        where c.contype = 'f' and n.nspname = 'public' and t.relname = ${table} and a.attname = ${column}`,
  );
  return [
    `${info.data_type === 'USER-DEFINED' ? info.udt_name : info.data_type} ${info.is_nullable === 'YES' ? 'NULL' : 'NOT NULL'}`,
    ...indexes
      .filter((index) => index.indexdef.endsWith(`(${column})`))
      .map((index) => (index.indexdef.startsWith('CREATE UNIQUE INDEX') ? 'UNIQUE index' : 'index')),
    ...foreignKeys.map(
      (fk) =>
        `references ${fk.ref_table}.${fk.ref_column} on delete ${ON_DELETE[fk.on_delete] ?? fk.on_delete}`,
    ),
  ].join(', ');
}

/**
 * A database of `driver` with `models` pushed into it, for the tests of the enclosing `describe`.
 * A failed push fails each of those tests (with the push's error) rather than skipping them.
 */
function pushedModels(driver: Driver, models: () => Model[]) {
  let database: TestDatabase | undefined;
  let pushed: Promise<unknown> = Promise.resolve();
  const db = async () => {
    await pushed;
    if (!database) throw new Error('the database is created in beforeAll');
    return database.connection.database();
  };
  const names = async (query: SQL) =>
    (await executeRows<{ name: string }>(await db(), query)).map((row) => row.name);
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    pushed = pushSchema(database.connection.database(), buildTables(buildRelationGraph(models())));
    await pushed.catch(() => {});
  });
  afterAll(() => database?.drop());
  return {
    column: async (table: string, column: string) => describeColumn(await db(), table, column),
    columnsOf: (table: string) =>
      names(sql`select column_name as name from information_schema.columns
                where table_schema = 'public' and table_name = ${table} order by column_name`),
    tables: () =>
      names(sql`select table_name as name from information_schema.tables
                where table_schema = 'public' and table_name <> 'relgraph_pushed_schema' order by table_name`),
  };
}

const ONE_TO_ONE = 'integer NOT NULL, UNIQUE index, references';
const MANY_TO_ONE = 'integer NOT NULL, index, references';
const OPTIONAL = 'integer NULL, index, references';

describe.each(drivers)('conventions on %s', (driver) => {
  describe('hasOne', () => {
    const catalog = pushedModels(driver, hasOneModels);

    it('creates the default foreign key user_id on the child: integer, NOT NULL, UNIQUE, cascading', async () => {
      expect(await catalog.column('phones', 'user_id')).toBe(`${ONE_TO_ONE} users.id on delete cascade`);
    });

    it('names the foreign key after foreignKey instead of the convention', async () => {
      expect(await catalog.columnsOf('passports')).toEqual(['holder_id', 'id']);
      expect(await catalog.column('passports', 'holder_id')).toBe(`${ONE_TO_ONE} users.id on delete cascade`);
    });

    it('gives a created foreign key the column named by column', async () => {
      expect(await catalog.columnsOf('lockers')).toEqual(['foreign_key', 'id']);
      expect(await catalog.column('lockers', 'foreign_key')).toBe(`${ONE_TO_ONE} users.id on delete cascade`);
    });
  });

  describe('localKey and ownerKey', () => {
    const catalog = pushedModels(driver, uniqueKeyModels);

    it('creates a text foreign key referencing the unique field named by localKey', async () => {
      expect(await catalog.column('badges', 'user_id')).toBe(
        'text NOT NULL, UNIQUE index, references users.code on delete cascade',
      );
    });

    it('creates a foreign key of the type of the unique field named by ownerKey', async () => {
      expect(await catalog.column('orders', 'customer_id')).toBe(
        'text NOT NULL, index, references users.code on delete cascade',
      );
    });

    it('links declared fields through their own column names (local_key, owner_key)', async () => {
      expect(await catalog.columnsOf('cards')).toEqual(['id', 'owner_key']);
      expect(await catalog.column('cards', 'owner_key')).toBe(
        'text NOT NULL, UNIQUE index, references accounts.local_key on delete cascade',
      );
    });
  });

  describe('belongsTo', () => {
    const catalog = pushedModels(driver, belongsToModels);

    it('creates the foreign key relation name + Id: post → post_id, plain index, cascading', async () => {
      expect(await catalog.column('comments', 'post_id')).toBe(`${MANY_TO_ONE} posts.id on delete cascade`);
    });

    it('names the foreign key after foreignKey instead of the relation', async () => {
      expect(await catalog.column('comments', 'written_by')).toBe(
        `${MANY_TO_ONE} users.id on delete cascade`,
      );
      expect(await catalog.column('comments', 'author_id')).toBeUndefined();
    });

    it('makes an optional foreign key nullable and sets it to null on delete', async () => {
      expect(await catalog.column('comments', 'editor_id')).toBe(`${OPTIONAL} users.id on delete set null`);
    });

    it('restricts the delete with onDelete: restrict', async () => {
      expect(await catalog.column('comments', 'thread_id')).toBe(
        `${MANY_TO_ONE} posts.id on delete restrict`,
      );
    });

    it('makes the link one-to-one with unique: true, without any hasOne', async () => {
      expect(await catalog.column('users', 'address_id')).toBe(
        `${ONE_TO_ONE} addresses.id on delete cascade`,
      );
    });

    it('infers optional from a declared nullable foreign key', async () => {
      expect(await catalog.column('comments', 'reviewer_id')).toBe(`${OPTIONAL} users.id on delete set null`);
    });
  });

  describe('hasMany', () => {
    const catalog = pushedModels(driver, hasManyModels);

    it('indexes the default foreign key author_id with a plain, non-unique index', async () => {
      expect(await catalog.column('drafts', 'author_id')).toBe(`${MANY_TO_ONE} authors.id on delete cascade`);
    });

    it('names the foreign key after foreignKey', async () => {
      expect(await catalog.column('posts', 'editor_id')).toBe(`${MANY_TO_ONE} authors.id on delete cascade`);
    });

    it('shares one column with the belongsTo of the same link', async () => {
      expect(await catalog.columnsOf('posts')).toEqual(['author_id', 'editor_id', 'id', 'title']);
      expect(await catalog.column('posts', 'author_id')).toBe(`${MANY_TO_ONE} authors.id on delete cascade`);
    });
  });

  describe('created foreign keys', () => {
    const catalog = pushedModels(driver, keyTypeModels);

    it.each([
      ['an integer id', 'sites', 'member_id', 'integer', 'members.id'],
      ['a bigint id', 'sites', 'tenant_id', 'bigint', 'tenants.id'],
      ['a uuid id', 'sites', 'org_id', 'uuid', 'orgs.id'],
      ['a uuid id, from a hasMany', 'members', 'org_id', 'uuid', 'orgs.id'],
    ])('take the type of %s', async (_key, table, column, type, references) => {
      expect(await catalog.column(table, column)).toBe(
        `${type} NOT NULL, index, references ${references} on delete cascade`,
      );
    });
  });

  describe('created foreign keys to an enum key', () => {
    const catalog = pushedModels(driver, enumKeyModels);

    it('take the enum type of the owner key', async () => {
      expect(await catalog.column('posts', 'tag_id')).toBe(
        'tags_code NOT NULL, index, references tags.code on delete cascade',
      );
    });
  });

  describe('pairing', () => {
    const catalog = pushedModels(driver, pairingModels);

    it('makes one column of a hasOne and a belongsTo that share the foreign key', async () => {
      expect(await catalog.columnsOf('phones')).toEqual(['id', 'number', 'user_id']);
      expect(await catalog.column('phones', 'user_id')).toBe(`${ONE_TO_ONE} users.id on delete cascade`);
    });

    it('makes one column of two sides paired by inverse whose default foreign keys differ', async () => {
      expect(await catalog.columnsOf('profiles')).toEqual(['id', 'owner_id']);
      expect(await catalog.column('profiles', 'owner_id')).toBe(`${ONE_TO_ONE} users.id on delete cascade`);
    });

    it('keeps two belongsTo links between the same two models as two foreign keys', async () => {
      expect(await catalog.column('users', 'friends_address_id')).toBe(
        `${OPTIONAL} addresses.id on delete set null`,
      );
      expect(await catalog.column('addresses', 'resident_id')).toBe(
        `${OPTIONAL} users.id on delete set null`,
      );
    });
  });

  describe('a hasOne or hasMany that names no key', () => {
    const catalog = pushedModels(driver, inferredPairModels);

    it('shares the foreign key and owner key its one belongsTo back names, one-to-one', async () => {
      expect(await catalog.columnsOf('cars')).toEqual(['engine_serial', 'id', 'name']);
      expect(await catalog.column('cars', 'engine_serial')).toBe(
        'text NOT NULL, UNIQUE index, references engines.serial on delete cascade',
      );
    });

    it('shares a declared foreign key that its belongsTo back names', async () => {
      expect(await catalog.columnsOf('capitals')).toEqual(['country_code', 'id', 'name']);
      expect(await catalog.column('capitals', 'country_code')).toBe(
        'text NOT NULL, UNIQUE index, references countries.code on delete cascade',
      );
    });

    it('pairs a hasMany with its belongsTo back: one plain index', async () => {
      expect(await catalog.columnsOf('players')).toEqual(['club_id', 'id']);
      expect(await catalog.column('players', 'club_id')).toBe(`${MANY_TO_ONE} teams.id on delete cascade`);
    });

    it('pairs a self-reference: the reports of an employee are those it manages', async () => {
      expect(await catalog.columnsOf('employees')).toEqual(['id', 'manager_id']);
      expect(await catalog.column('employees', 'manager_id')).toBe(
        `${OPTIONAL} employees.id on delete set null`,
      );
    });
  });

  describe('names', () => {
    const catalog = pushedModels(driver, namingModels);

    it('names tables in snake_case plural unless table says otherwise', async () => {
      expect(await catalog.tables()).toEqual(['addresses', 'categories', 'people', 'post_comments']);
    });

    it('names columns in snake_case', async () => {
      expect(await catalog.columnsOf('post_comments')).toEqual(['created_at', 'id']);
      expect(await catalog.column('post_comments', 'created_at')).toBe('timestamp with time zone NOT NULL');
      expect(await catalog.columnsOf('people')).toEqual(['first_name', 'id']);
    });
  });
});

describe('the relation graph', () => {
  /** `hasOne Phone: Phone.userId = id, nullable, one`: the rows of the target whose key equals this row's key. */
  const summary = ({ kind, target, targetKey, sourceKey, nullable, many }: GraphRelation) =>
    `${kind} ${target.name}: ${target.name}.${targetKey.name} = ${sourceKey.name}, ${nullable ? 'nullable' : 'non-null'}, ${many ? 'many' : 'one'}`;

  it.each([
    [pairingModels, 'User', 'phone', 'hasOne Phone: Phone.userId = id, nullable, one'],
    [pairingModels, 'Phone', 'user', 'belongsTo User: User.id = userId, non-null, one'],
    [
      pairingModels,
      'User',
      'friendsAddress',
      'belongsTo Address: Address.id = friendsAddressId, nullable, one',
    ],
    [hasManyModels, 'Author', 'edits', 'hasMany Post: Post.editorId = id, non-null, many'],
    [uniqueKeyModels, 'User', 'badge', 'hasOne Badge: Badge.userId = code, nullable, one'],
    [uniqueKeyModels, 'Order', 'customer', 'belongsTo User: User.code = customerId, non-null, one'],
    [inferredPairModels, 'Engine', 'car', 'hasOne Car: Car.engineSerial = serial, nullable, one'],
    [inferredPairModels, 'Country', 'capital', 'hasOne Capital: Capital.countryCode = code, nullable, one'],
    [inferredPairModels, 'Team', 'players', 'hasMany Player: Player.clubId = id, non-null, many'],
    [inferredPairModels, 'Employee', 'reports', 'hasMany Employee: Employee.managerId = id, non-null, many'],
  ])(
    'describes %s %s.%s by its kind, keys, nullability and cardinality',
    (models, modelName, name, expected) => {
      const relation = buildRelationGraph(models()).models.get(modelName)?.relations.get(name);
      expect(relation && summary(relation)).toBe(expected);
    },
  );

  it('sets inverse on both sides of a paired link, and on neither side of a lone one', () => {
    const graph = buildRelationGraph(pairingModels());
    const relation = (modelName: string, name: string) => graph.models.get(modelName)?.relations.get(name);
    expect(relation('User', 'phone')?.inverse).toBe(relation('Phone', 'user'));
    expect(relation('Phone', 'user')?.inverse).toBe(relation('User', 'phone'));
    expect(relation('User', 'profile')?.inverse).toBe(relation('Profile', 'owner'));
    expect(relation('Profile', 'owner')?.inverse).toBe(relation('User', 'profile'));
    expect(relation('User', 'friendsAddress')?.inverse).toBeUndefined();
    expect(relation('Address', 'resident')?.inverse).toBeUndefined();
    expect(graph.links).toHaveLength(4);
  });

  it('pairs a hasOne naming no key with its one belongsTo back: one link, both inverses set', () => {
    const graph = buildRelationGraph(engineCarModels());
    const car = graph.models.get('Engine')?.relations.get('car');
    expect(car?.inverse).toBe(graph.models.get('Car')?.relations.get('engine'));
    expect(graph.links.map((link) => `${link.holder.name}.${link.foreignKey.name}`)).toEqual([
      'Car.engineSerial',
      'Wheel.carId',
    ]);
  });

  it('keeps a hasOne that names its foreignKey a link of its own beside a belongsTo back', () => {
    const Engine = model('Engine', {
      fields: { id: field.id(), serial: field.string({ unique: true }) },
      relations: { spare: hasOne((): Model => Car, { foreignKey: 'spareEngineId' }) },
    });
    const Car = idOnly('Car', { engine: belongsTo(() => Engine, { ownerKey: 'serial' }) });
    const links = buildRelationGraph([Engine, Car]).links;
    expect(links.map((link) => `${link.foreignKey.name} ${link.unique ? 'unique' : 'many'}`)).toEqual([
      'spareEngineId unique',
      'engineId many',
    ]);
  });

  it('keeps a bare hasOne on the declared field named like its conventional key', () => {
    const Engine = model('Engine', {
      fields: { id: field.id(), serial: field.string({ unique: true }) },
      relations: { car: hasOne((): Model => Car) },
    });
    const Car = model('Car', {
      fields: { id: field.id(), engineId: field.int() },
      relations: { engine: belongsTo(() => Engine, { foreignKey: 'engineSerial', ownerKey: 'serial' }) },
    });
    const links = buildRelationGraph([Engine, Car]).links;
    expect(links.map((link) => `${link.foreignKey.name} ${link.parent?.name ?? link.child?.name}`)).toEqual([
      'engineId car',
      'engineSerial engine',
    ]);
  });

  it('gives a created foreign key the kind of the key it references', () => {
    const fields = buildRelationGraph(keyTypeModels()).models.get('Site')?.fields;
    const kinds = ['memberId', 'tenantId', 'orgId'].map((name) => fields?.get(name)?.kind);
    expect(kinds).toEqual(['int', 'bigint', 'uuid']);
  });
});
