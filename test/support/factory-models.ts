/**
 * The model set of the factory tests: every relation kind and option a factory must follow — a
 * hasOne with a renamed key, hasMany two levels deep, an optional one-to-one belongsTo, a self
 * reference, keys that point at a unique field other than the primary key.
 */
import { belongsTo, field, hasMany, hasOne, type Model, model } from '../../index.ts';

export const Team = model('Team', {
  fields: { id: field.id(), name: field.string() },
  relations: { writers: hasMany((): Model => Writer) },
});

/** Points at nothing: its writer holds the key (`Writer.desk`, one-to-one without a hasOne here). */
export const Desk = model('Desk', { fields: { id: field.id(), floor: field.int() } });

export const Writer = model('Writer', {
  fields: {
    id: field.id(),
    name: field.string({ maxLength: 40 }),
    email: field.string({ unique: true }),
  },
  relations: {
    phone: hasOne((): Model => Phone),
    profile: hasOne((): Model => Profile, { foreignKey: 'ownerId' }),
    posts: hasMany((): Model => Post, { foreignKey: 'authorId' }),
    team: belongsTo((): Model => Team, { optional: true }),
    desk: belongsTo((): Model => Desk, { optional: true, unique: true }),
  },
});

export const Phone = model('Phone', {
  fields: { id: field.id(), number: field.string() },
  relations: { writer: belongsTo(() => Writer) },
});

export const Profile = model('Profile', {
  fields: { id: field.id(), bio: field.text(), website: field.string({ optional: true }) },
  relations: { owner: belongsTo(() => Writer, { foreignKey: 'ownerId' }) },
});

export const Post = model('Post', {
  fields: {
    id: field.id(),
    title: field.string({ minLength: 1, maxLength: 80 }),
    status: field.enum(['draft', 'published']),
  },
  relations: { author: belongsTo(() => Writer), comments: hasMany((): Model => Comment) },
});

export const Comment = model('Comment', {
  fields: { id: field.id(), body: field.text(), code: field.string({ unique: true }) },
  relations: { post: belongsTo(() => Post) },
});

/** A self reference: a manager's reports are employees too. */
export const Employee = model('Employee', {
  fields: { id: field.id(), name: field.string() },
  relations: {
    manager: belongsTo((): Model => Employee, { optional: true }),
    reports: hasMany((): Model => Employee, { foreignKey: 'managerId' }),
  },
});

/** Keys that point at `Account.number`, a unique field that is not the primary key. */
export const Account = model('Account', {
  fields: { id: field.id(), number: field.string({ unique: true }) },
  relations: {
    card: hasOne((): Model => Card, { foreignKey: 'accountNumber', localKey: 'number' }),
    entries: hasMany((): Model => Entry, { foreignKey: 'accountNumber', localKey: 'number' }),
  },
});

export const Card = model('Card', {
  fields: { id: field.id(), label: field.string() },
  relations: { account: belongsTo(() => Account, { foreignKey: 'accountNumber', ownerKey: 'number' }) },
});

export const Entry = model('Entry', {
  fields: { id: field.id(), amount: field.int() },
  relations: { account: belongsTo(() => Account, { foreignKey: 'accountNumber', ownerKey: 'number' }) },
});

/** Fifteen integer columns: 4,368 rows fill a statement's 65,533 bound values. */
export const Wide = model('Wide', {
  fields: {
    id: field.id(),
    ...Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`c${i}`, field.int()])),
  },
});

export const factoryModels: Model[] = [
  Team,
  Desk,
  Writer,
  Phone,
  Profile,
  Post,
  Comment,
  Employee,
  Account,
  Card,
  Entry,
  Wide,
];
