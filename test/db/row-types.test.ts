/**
 * Compile-time tests of `Row<typeof M>`, the row type inferred from a model definition. `tsc`
 * (npm run typecheck) checks them: an inference that breaks fails the typecheck, and every
 * `@ts-expect-error` line fails it when the wrong type it guards against starts to compile.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { belongsTo, field, hasMany, hasOne, type Model, model, type Row } from '../../index.ts';
import type { JsonValue } from '../../schema/field.ts';

/** What relgraph stores in a foreign key it creates: the key type of the row it points at. */
type KeyValue = number | bigint | string;

const Role = model('Role', { fields: { id: field.id() } });

const User = model('User', {
  fields: {
    id: field.id(),
    name: field.string(),
    nickname: field.string({ optional: true }),
    age: field.int({ optional: false }),
    createdAt: field.datetime({ default: 'now' }),
    status: field.enum(['active', 'banned']),
    mood: field.enum(['happy', 'sad'], { optional: true }),
    score: field.bigint(),
    settings: field.json({ optional: true }),
  },
  relations: {
    phone: hasOne((): Model => Phone),
    posts: hasMany((): Model => Post),
    role: belongsTo(() => Role),
    manager: belongsTo((): Model => User, { optional: true }),
    team: belongsTo(() => Role, { foreignKey: 'ownerId' }),
  },
});

const Phone = model('Phone', {
  fields: {
    id: field.id({ type: 'uuid' }),
    number: field.string(),
    reviewerId: field.int({ optional: true }),
  },
  relations: {
    user: belongsTo(() => User),
    reviewer: belongsTo(() => User),
    backupOwner: belongsTo(() => User, { foreignKey: 'backupUserId', optional: true }),
  },
});

const Post = model('Post', { fields: { id: field.id({ type: 'bigint' }), title: field.text() } });

describe('Row', () => {
  it('infers the primary key from field.id(): number, or string for uuid, or bigint', () => {
    expectTypeOf<Row<typeof User>['id']>().toEqualTypeOf<number>();
    expectTypeOf<Row<typeof Phone>['id']>().toEqualTypeOf<string>();
    expectTypeOf<Row<typeof Post>['id']>().toEqualTypeOf<bigint>();
    // @ts-expect-error an int id is not a string
    expectTypeOf<Row<typeof User>['id']>().toEqualTypeOf<string>();
    // @ts-expect-error a uuid id is not a number
    expectTypeOf<Row<typeof Phone>['id']>().toEqualTypeOf<number>();
  });

  it('infers required fields without null and optional fields with null', () => {
    expectTypeOf<Row<typeof User>['name']>().toEqualTypeOf<string>();
    expectTypeOf<Row<typeof User>['age']>().toEqualTypeOf<number>();
    expectTypeOf<Row<typeof User>['nickname']>().toEqualTypeOf<string | null>();
    expectTypeOf<Row<typeof Post>['title']>().toEqualTypeOf<string>();
    // @ts-expect-error a required field is never null
    expectTypeOf<Row<typeof User>['name']>().toEqualTypeOf<string | null>();
    // @ts-expect-error an optional field may be null
    expectTypeOf<Row<typeof User>['nickname']>().toEqualTypeOf<string>();
  });

  it('infers a field written inside model() like the same field declared beforehand', () => {
    const title = field.text();
    const Declared = model('Post', { fields: { id: field.id({ type: 'bigint' }), title } });
    expectTypeOf<Row<typeof Declared>['title']>().toEqualTypeOf<string>();
    expectTypeOf<Row<typeof Post>>().toEqualTypeOf<Row<typeof Declared>>();
  });

  it('infers Date for datetime, bigint for bigint, and the JSON value type for json', () => {
    expectTypeOf<Row<typeof User>['createdAt']>().toEqualTypeOf<Date>();
    expectTypeOf<Row<typeof User>['score']>().toEqualTypeOf<bigint>();
    expectTypeOf<Row<typeof User>['settings']>().toEqualTypeOf<JsonValue | null>();
    // @ts-expect-error a datetime is a Date, not its ISO string
    expectTypeOf<Row<typeof User>['createdAt']>().toEqualTypeOf<string>();
    // @ts-expect-error a bigint field is a JavaScript bigint, not a number
    expectTypeOf<Row<typeof User>['score']>().toEqualTypeOf<number>();
  });

  it('infers an enum as the union of its values', () => {
    expectTypeOf<Row<typeof User>['status']>().toEqualTypeOf<'active' | 'banned'>();
    expectTypeOf<Row<typeof User>['mood']>().toEqualTypeOf<'happy' | 'sad' | null>();
    // @ts-expect-error an enum is its values, not any string
    expectTypeOf<Row<typeof User>['status']>().toEqualTypeOf<string>();
  });

  it('adds the foreign key each belongsTo creates: relation name + Id, or foreignKey', () => {
    expectTypeOf<Row<typeof User>['roleId']>().toEqualTypeOf<KeyValue>();
    expectTypeOf<Row<typeof User>['ownerId']>().toEqualTypeOf<KeyValue>();
    expectTypeOf<Row<typeof Phone>['userId']>().toEqualTypeOf<KeyValue>();
    expectTypeOf<Row<typeof Phone>['backupUserId']>().toEqualTypeOf<KeyValue | null>();
    // @ts-expect-error a foreignKey replaces the conventional name: there is no teamId
    expectTypeOf<Row<typeof User>>().toHaveProperty('teamId');
    // @ts-expect-error a required foreign key is never null
    expectTypeOf<Row<typeof Phone>['userId']>().toEqualTypeOf<KeyValue | null>();
  });

  it('makes the foreign key of an optional belongsTo nullable', () => {
    expectTypeOf<Row<typeof User>['managerId']>().toEqualTypeOf<KeyValue | null>();
    // @ts-expect-error an optional foreign key may be null
    expectTypeOf<Row<typeof User>['managerId']>().toEqualTypeOf<KeyValue>();
  });

  it('keeps the declared type of a foreign key the model declares itself', () => {
    expectTypeOf<Row<typeof Phone>['reviewerId']>().toEqualTypeOf<number | null>();
    // @ts-expect-error the declared int field wins over the created key type
    expectTypeOf<Row<typeof Phone>['reviewerId']>().toEqualTypeOf<KeyValue>();
  });

  it('has exactly the fields and belongsTo keys, nothing for hasOne or hasMany', () => {
    expectTypeOf<keyof Row<typeof User>>().toEqualTypeOf<
      | 'id'
      | 'name'
      | 'nickname'
      | 'age'
      | 'createdAt'
      | 'status'
      | 'mood'
      | 'score'
      | 'settings'
      | 'roleId'
      | 'managerId'
      | 'ownerId'
    >();
    expectTypeOf<keyof Row<typeof Phone>>().toEqualTypeOf<
      'id' | 'number' | 'reviewerId' | 'userId' | 'backupUserId'
    >();
    // @ts-expect-error hasOne keeps its foreign key on the other model
    expectTypeOf<Row<typeof User>>().toHaveProperty('phoneId');
  });

  it('accepts a well-typed row literal and rejects wrong values', () => {
    const row: Row<typeof Post> = { id: 1n, title: 'Hello' };
    expectTypeOf(row.title).toEqualTypeOf<string>();
    // @ts-expect-error title is a string
    const wrong: Row<typeof Post> = { id: 1n, title: 42 };
    // @ts-expect-error id is required
    const missing: Row<typeof Post> = { title: 'Hello' };
    expectTypeOf([wrong, missing]).items.toEqualTypeOf<Row<typeof Post>>();
  });
});

describe('access field rules in a model definition', () => {
  it('take read and write rules on fields, write rules only on belongsTo keys', () => {
    const open = () => true;
    model('Badge', {
      fields: { id: field.id(), label: field.string() },
      relations: { owner: belongsTo(() => Role), holder: belongsTo(() => Role, { foreignKey: 'heldBy' }) },
      access: {
        fields: { label: { read: open, update: open }, ownerId: { update: open }, heldBy: { create: open } },
      },
    });
    model('Badge', {
      fields: { id: field.id(), label: field.string() },
      relations: { owner: belongsTo(() => Role) },
      // @ts-expect-error a key that links rows cannot be hidden
      access: { fields: { ownerId: { read: open } } },
    });
    model('Badge', {
      fields: { id: field.id(), label: field.string() },
      // @ts-expect-error no such field
      access: { fields: { lable: { update: open } } },
    });
  });
});
