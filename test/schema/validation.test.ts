/**
 * Definitions that cannot work are rejected by `buildRelationGraph` with one `ModelDefinitionError`
 * listing every problem, each naming the model, relation or field, and the fix. No database.
 */
import { describe, expect, it } from 'vitest';
import {
  belongsTo,
  buildRelationGraph,
  field,
  hasMany,
  hasOne,
  type Model,
  model,
  type Relation,
} from '../../index.ts';
import { problemsOf } from '../support/definition-problems.ts';

/** `User { id, name, email (unique) }` with the given relations. */
const userWith = (relations: Record<string, Relation> = {}) =>
  model('User', {
    fields: { id: field.id(), name: field.string(), email: field.string({ unique: true }) },
    relations,
  });

/** `Phone { id, number, …extra }` with the given relations. */
const phoneWith = (relations: Record<string, Relation> = {}, extra: Model['fields'] = {}) =>
  model('Phone', { fields: { id: field.id(), number: field.string(), ...extra }, relations });

const Address = model('Address', { fields: { id: field.id(), street: field.string() } });

describe('buildRelationGraph', () => {
  it('accepts a hasOne and a belongsTo that pair by convention', () => {
    const User = userWith({ phone: hasOne(() => Phone) });
    const Phone = phoneWith({ user: belongsTo(() => User) });
    expect(problemsOf([User, Phone])).toEqual([]);
  });

  it('numbers every problem in the error message', () => {
    const Tag = model('Tag', { fields: { name: field.string() } });
    expect(() => buildRelationGraph([Tag])).toThrow(
      'relgraph found 1 problem in the model definitions:\n  1. Model "Tag": a model needs exactly one primary key',
    );
  });

  it('reports three problems of one model set in one error', () => {
    const User = userWith({ phone: hasOne('Phon'), name: belongsTo(() => Address) });
    const Post = model('Post', { fields: { id: field.id(), status: field.enum([]) } });
    const problems = problemsOf([User, Post, Address]);
    expect(problems).toHaveLength(3);
    expect(problems).toContain(
      'Model "User": relation "name" has the same name as a field; rename the relation or the field.',
    );
    expect(problems).toContain(
      'Relation "User.phone": target model "Phon" is not registered. Pass it in `models`.',
    );
    expect(problems).toContain(
      `Field "Post.status": an enum needs at least one value, e.g. field.enum(['draft', 'published']).`,
    );
  });
});

describe('targets', () => {
  it('rejects a target name that is not registered, suggesting the nearest model', () => {
    const User = userWith({ phone: hasOne('Phon') });
    expect(problemsOf([User, phoneWith()])).toEqual([
      'Relation "User.phone": target model "Phon" is not registered. Did you mean "Phone"? Pass it in `models`.',
    ]);
  });

  it('rejects a thunk returning a model that is not passed in models', () => {
    const User = userWith({ phone: hasOne(() => phoneWith()) });
    expect(problemsOf([User])).toEqual([
      'Relation "User.phone": target model "Phone" is not registered; add it to `models`.',
    ]);
  });

  it('suggests the nearest registered model for an unregistered thunk target', () => {
    const Adress = model('Adress', { fields: { id: field.id() } });
    const User = userWith({ address: belongsTo(() => Adress) });
    expect(problemsOf([User, Address])).toEqual([
      'Relation "User.address": target model "Adress" is not registered; add it to `models`. Did you mean "Address"?',
    ]);
  });

  it('rejects a thunk that returns undefined, pointing at the import cycle', () => {
    const User = userWith({ phone: hasOne(() => undefined as unknown as Model) });
    expect(problemsOf([User])).toEqual([
      'Relation "User.phone": the target thunk returned undefined; the target model is used before it is defined (check the import cycle).',
    ]);
  });
});

describe('keys', () => {
  it('rejects a declared foreign key whose type differs from the owner key', () => {
    const User = userWith();
    const Phone = phoneWith({ user: belongsTo(() => User) }, { userId: field.string() });
    expect(problemsOf([User, Phone])).toEqual([
      'Relation "Phone.user": foreign key "Phone.userId" is text but owner key "User.id" is integer; declare "userId" with the type of "id", or remove it and relgraph creates it.',
    ]);
  });

  it('rejects a declared foreign key whose type differs from the local key of a hasOne', () => {
    const Phone = phoneWith({}, { userId: field.uuid() });
    const User = userWith({ phone: hasOne(() => Phone) });
    expect(problemsOf([User, Phone])).toEqual([
      'Relation "User.phone": foreign key "Phone.userId" is uuid but local key "User.id" is integer; declare "userId" with the type of "id", or remove it and relgraph creates it.',
    ]);
  });

  it('rejects a localKey that is not a field, suggesting the nearest field', () => {
    const Phone = phoneWith();
    const User = userWith({ phone: hasOne(() => Phone, { localKey: 'emial' }) });
    expect(problemsOf([User, Phone])).toEqual([
      'Relation "User.phone": localKey "emial" is not a field of "User". Did you mean "email"?',
    ]);
  });

  it('rejects an ownerKey that is not a field, suggesting the nearest field', () => {
    const User = userWith();
    const Phone = phoneWith({ user: belongsTo(() => User, { ownerKey: 'mail' }) });
    expect(problemsOf([User, Phone])).toEqual([
      'Relation "Phone.user": ownerKey "mail" is not a field of "User". Did you mean "email"?',
    ]);
  });

  it('rejects an ownerKey that is neither the primary key nor unique', () => {
    const User = userWith();
    const Phone = phoneWith({ user: belongsTo(() => User, { ownerKey: 'name' }) });
    expect(problemsOf([User, Phone])).toEqual([
      'Relation "Phone.user": ownerKey "User.name" must be the primary key or a unique field; add unique: true to it, or use the primary key.',
    ]);
  });

  it('rejects a localKey that is neither the primary key nor unique', () => {
    const Phone = phoneWith();
    const User = userWith({ phone: hasOne(() => Phone, { localKey: 'name' }) });
    expect(problemsOf([User, Phone])).toEqual([
      'Relation "User.phone": localKey "User.name" must be the primary key or a unique field; add unique: true to it, or use the primary key.',
    ]);
  });

  it('rejects a created foreign key whose column is already used by a field', () => {
    const Phone = phoneWith({}, { legacyOwner: field.string({ column: 'user_id' }) });
    const User = userWith({ phone: hasOne(() => Phone) });
    expect(problemsOf([User, Phone])).toEqual([
      'Relation "User.phone": the foreign key "Phone.userId" would use column "user_id", already used by "Phone.legacyOwner"; set `column` on the relation.',
    ]);
  });
});

describe('pairing', () => {
  it('rejects the two sides of an inverse pair naming different foreign keys', () => {
    const User = userWith({ phone: hasOne(() => Phone, { foreignKey: 'ownerId', inverse: 'user' }) });
    const Phone = phoneWith({ user: belongsTo(() => User, { foreignKey: 'userId', inverse: 'phone' }) });
    expect(problemsOf([User, Phone])).toEqual([
      'Relations "User.phone" and "Phone.user" are one link but name different foreign keys, "ownerId" and "userId"; name it on one side only, or make them equal.',
    ]);
  });

  it('rejects the two sides of a link naming different localKey and ownerKey', () => {
    const User = userWith({ phone: hasOne(() => Phone, { localKey: 'email' }) });
    const Phone = phoneWith({ user: belongsTo(() => User, { ownerKey: 'id' }) });
    expect(problemsOf([User, Phone])).toContain(
      'Relations "User.phone" and "Phone.user" are one link but "User.phone" has localKey "email" and "Phone.user" has ownerKey "id"; make them equal.',
    );
  });

  it('rejects two hasOne relations to one model that default to the same foreign key', () => {
    const Phone = phoneWith();
    const User = userWith({ phone: hasOne(() => Phone), backupPhone: hasOne(() => Phone) });
    expect(problemsOf([User, Phone])).toEqual([
      'Relations "User.phone" and "User.backupPhone" all use the foreign key "Phone.userId", but one foreign key is one link with at most one relation on each model; give each link its own foreignKey, or pair the two sides of one link with inverse.',
    ]);
  });

  it('rejects a hasOne and a hasMany on the same foreign key', () => {
    const Phone = phoneWith();
    const User = userWith({ phone: hasOne(() => Phone), phones: hasMany(() => Phone) });
    expect(problemsOf([User, Phone])).toEqual([
      expect.stringMatching(
        /^Relations "User.phone" and "User.phones" all use the foreign key "Phone.userId"/,
      ),
    ]);
  });

  it('rejects a hasMany naming no key beside several belongsTo back, listing the choices', () => {
    const User = userWith({ posts: hasMany((): Model => Post) });
    const Post = model('Post', {
      fields: { id: field.id() },
      relations: {
        author: belongsTo(() => User),
        editor: belongsTo(() => User, { foreignKey: 'editedBy', ownerKey: 'email' }),
      },
    });
    expect(problemsOf([User, Post])).toEqual([
      'Relation "User.posts": a hasMany that names no foreignKey pairs with the one belongsTo back to "User", but "Post" has 2: "Post.author" (foreignKey "authorId"), "Post.editor" (foreignKey "editedBy"); add inverse: "author" (or another), or a foreignKey of its own.',
    ]);
  });

  it('accepts the choice of inverse, and reports an ambiguous pairing with every other problem', () => {
    const Post = model('Post', {
      fields: { id: field.id() },
      relations: { author: belongsTo('User'), editor: belongsTo('User') },
    });
    const User = userWith({ posts: hasMany(() => Post, { inverse: 'author' }) });
    expect(problemsOf([User, Post])).toEqual([]);
    const Unpaired = userWith({ posts: hasMany(() => Post), name: belongsTo(() => Address) });
    expect(problemsOf([Unpaired, Post, Address])).toEqual([
      'Model "User": relation "name" has the same name as a field; rename the relation or the field.',
      expect.stringMatching(/^Relation "User.posts": a hasMany that names no foreignKey pairs with the one/),
    ]);
  });

  it('rejects an inverse that names no relation of the target, suggesting the nearest', () => {
    const User = userWith({ phone: hasOne(() => Phone, { inverse: 'usr' }) });
    const Phone = phoneWith({ user: belongsTo(() => User) });
    expect(problemsOf([User, Phone])).toEqual([
      'Relation "User.phone": inverse "usr" is not a relation of "Phone". Did you mean "user"?',
    ]);
  });

  it('rejects an inverse of the same kind: hasOne with hasOne', () => {
    const User = userWith({ phone: hasOne(() => Phone, { inverse: 'owner' }) });
    const Phone = phoneWith({ owner: hasOne(() => User, { inverse: 'phone' }) });
    expect(problemsOf([User, Phone])).toContain(
      'Relation "User.phone": inverse "Phone.owner" is a hasOne and so is this one; the two sides of a link are one belongsTo and one hasOne or hasMany.',
    );
  });

  it('rejects an inverse that points at another model', () => {
    const User = userWith({ phone: hasOne(() => Phone, { inverse: 'address' }) });
    const Phone = phoneWith({ address: belongsTo(() => Address) });
    expect(problemsOf([User, Phone, Address])).toEqual([
      'Relation "User.phone": inverse "Phone.address" points at "Address", not at "User".',
    ]);
  });

  it('rejects two relations that do not name each other as inverse', () => {
    const User = userWith({ phone: hasOne(() => Phone, { inverse: 'user' }) });
    const Phone = phoneWith({ user: belongsTo(() => User, { inverse: 'mobile' }) });
    expect(problemsOf([User, Phone])).toContain(
      'Relation "User.phone": inverse "Phone.user" names "mobile" as its inverse, not "phone"; make them name each other.',
    );
  });
});

describe('optional and onDelete', () => {
  it('rejects optional: false with a foreign key declared optional', () => {
    const User = userWith();
    const Phone = phoneWith(
      { user: belongsTo(() => User, { optional: false }) },
      { userId: field.int({ optional: true }) },
    );
    expect(problemsOf([User, Phone])).toEqual([
      'Relation "Phone.user": optional: false, but the foreign key "Phone.userId" is declared optional; remove one of the two.',
    ]);
  });

  it('rejects optional: true with a foreign key declared required', () => {
    const User = userWith();
    const Phone = phoneWith({ user: belongsTo(() => User, { optional: true }) }, { userId: field.int() });
    expect(problemsOf([User, Phone])).toEqual([
      'Relation "Phone.user": optional: true, but the foreign key "Phone.userId" is declared required; declare it with optional: true.',
    ]);
  });

  it("rejects onDelete: 'set null' on a required foreign key", () => {
    const User = userWith();
    const Phone = phoneWith({ user: belongsTo(() => User, { onDelete: 'set null' }) });
    expect(problemsOf([User, Phone])).toEqual([
      `Relation "Phone.user": onDelete 'set null' needs a nullable foreign key "Phone.userId"; add optional: true, or use 'cascade' or 'restrict'.`,
    ]);
  });
});

describe('hasMany and unique', () => {
  const Post = model('Post', { fields: { id: field.id() } });

  it('rejects a hasMany whose belongsTo side asks for unique: true', () => {
    const User = userWith({ posts: hasMany((): Model => PostOfUser) });
    const PostOfUser = model('Post', {
      fields: { id: field.id() },
      relations: { user: belongsTo(() => User, { unique: true }) },
    });
    expect(problemsOf([User, PostOfUser])).toEqual([
      'Relation "User.posts" is a hasMany, but its foreign key "Post.userId" is unique; use hasOne, or drop unique.',
    ]);
  });

  it('rejects a hasMany whose declared foreign key is unique', () => {
    const Authored = model('Post', { fields: { id: field.id(), authorId: field.int({ unique: true }) } });
    const User = userWith({ posts: hasMany(() => Authored, { foreignKey: 'authorId' }) });
    expect(problemsOf([User, Authored])).toEqual([
      'Relation "User.posts" is a hasMany, but its foreign key "Post.authorId" is unique; use hasOne, or drop unique.',
    ]);
  });

  it('rejects unique: true on the hasMany itself (its type rejects it too)', () => {
    // @ts-expect-error hasMany has no `unique` option: a one-to-one link is a hasOne.
    const User = userWith({ posts: hasMany(() => Post, { unique: true }) });
    expect(problemsOf([User, Post])).toEqual([
      'Relation "User.posts" is a hasMany, but its foreign key "Post.userId" is unique; use hasOne, or drop unique.',
    ]);
  });
});

describe('models and fields', () => {
  it('rejects two models with the same name', () => {
    expect(problemsOf([userWith(), userWith()])).toEqual([
      'Model "User" is declared twice; model names must be unique.',
    ]);
  });

  it('rejects two models with the same table', () => {
    const Person = model('Person', { table: 'users', fields: { id: field.id() } });
    expect(problemsOf([userWith(), Person])).toEqual([
      'Models "User" and "Person" both use table "users"; set `table` on one of them.',
    ]);
  });

  it('rejects two fields mapping to the same column', () => {
    const User = model('User', {
      fields: { id: field.id(), name: field.string(), fullName: field.string({ column: 'name' }) },
    });
    expect(problemsOf([User])).toEqual([
      'Model "User": fields "name" and "fullName" both use column "name"; rename one or set its `column`.',
    ]);
  });

  it('rejects a relation with the name of a field', () => {
    const User = userWith();
    const Phone = phoneWith({ user: belongsTo(() => User) }, { user: field.string() });
    expect(problemsOf([User, Phone])).toEqual([
      'Model "Phone": relation "user" has the same name as a field; rename the relation or the field.',
    ]);
  });

  it('rejects a created foreign key named like a relation of the model that holds it', () => {
    const User = userWith();
    const Phone = phoneWith({ user: belongsTo(() => User, { foreignKey: 'user' }) });
    // Accepted today, then GraphQL fails later with 'Field "Phone.user" can only be defined once.'
    expect(problemsOf([User, Phone])).toContainEqual(
      expect.stringMatching(/^(Model|Relation) "Phone(\.user)?".*"user"/),
    );
  });

  it('rejects a model without a primary key', () => {
    const Tag = model('Tag', { fields: { name: field.string() } });
    expect(problemsOf([Tag])).toEqual([
      'Model "Tag": a model needs exactly one primary key, field.id(); found none.',
    ]);
  });

  it('rejects a model with two primary keys', () => {
    const Tag = model('Tag', { fields: { id: field.id(), uuid: field.id({ type: 'uuid' }) } });
    expect(problemsOf([Tag])).toEqual([
      'Model "Tag": a model needs exactly one primary key, field.id(); found "id", "uuid".',
    ]);
  });

  it('rejects an enum without values', () => {
    const Post = model('Post', { fields: { id: field.id(), status: field.enum([]) } });
    expect(problemsOf([Post])).toEqual([
      `Field "Post.status": an enum needs at least one value, e.g. field.enum(['draft', 'published']).`,
    ]);
  });

  it('rejects a model name that is not a GraphQL name', () => {
    const Bad = model('User-Profile', { fields: { id: field.id() } });
    expect(problemsOf([Bad])).toEqual([
      'Model "User-Profile": a model name must be a GraphQL name (letters, digits, _), such as "UserProfile".',
    ]);
  });
});

describe('table and column names', () => {
  const rule = 'name holds 1 to 63 bytes of any characters but " and control characters';

  it('rejects a quote, a line break, an empty name or 64 bytes in a table, column or created foreign key, all at once', () => {
    const Team = model('Team', { table: 'te"ams', fields: { id: field.id({ column: 'i\nd' }) } });
    const Player = model('Player', {
      fields: {
        id: field.id(),
        name: field.string({ column: 'na"me' }),
        bio: field.text({ column: 'b'.repeat(64) }),
        note: field.text({ column: '' }),
      },
      relations: { team: belongsTo(() => Team, { column: 'team"id' }) },
    });
    expect(problemsOf([Team, Player])).toEqual([
      `Model "Team": a table ${rule}; received "te\\"ams".`,
      `Field "Team.id": a column ${rule}; received "i\\nd".`,
      `Field "Player.name": a column ${rule}; received "na\\"me".`,
      `Field "Player.bio": a column ${rule}; received "${'b'.repeat(64)}".`,
      `Field "Player.note": a column ${rule}; received "".`,
      `Relation "Player.team": a column ${rule}; received "team\\"id".`,
    ]);
  });

  it('counts bytes as PostgreSQL does: 31 two-byte letters fit, 32 do not', () => {
    const withColumn = (column: string) =>
      model('Team', { fields: { id: field.id(), name: field.string({ column }) } });
    expect(problemsOf([withColumn('é'.repeat(31))])).toEqual([]);
    expect(problemsOf([withColumn('é'.repeat(32))])).toEqual([
      `Field "Team.name": a column ${rule}; received "${'é'.repeat(32)}".`,
    ]);
  });
});
