import { belongsTo, field, hasMany, hasOne, type Model, model } from '../index.ts';
import { Address } from './address.ts';
import { Phone } from './phone.ts';
import { Post } from './post.ts';
import { Profile } from './profile.ts';
import { Role } from './role.ts';
import { adminsOnly, ownedBy } from './rules.ts';

// The other demo models point back at User, so these thunks name their type (`(): Model => …`):
// TypeScript cannot infer two constants that refer to each other.
export const User = model('User', {
  description: 'A person using the demo application.',
  fields: {
    id: field.id(),
    name: field.string({ minLength: 1, maxLength: 200 }),
    email: field.string({ unique: true, description: 'Unique sign-in address.' }),
    externalId: field.string({
      unique: true,
      optional: true,
      maxLength: 255,
      description:
        'The subject ("sub") of this person\'s tokens at the identity provider, such as "auth0|5f1c": npm start signs a token in as the user it names.',
    }),
    createdAt: field.datetime({ default: 'now' }),
  },
  relations: {
    phone: hasOne((): Model => Phone),
    profile: hasOne((): Model => Profile, { foreignKey: 'ownerId' }),
    address: belongsTo((): Model => Address, { optional: true, unique: true }),
    role: belongsTo((): Model => Role, { onDelete: 'restrict' }),
    posts: hasMany((): Model => Post, { foreignKey: 'authorId' }),
  },
  // Accounts come from the identity provider: admins create and delete them, people edit their own,
  // but only admins change a role (however it is set: roleId, role, or through a nested write) or the
  // identity a token signs in as (else a member could claim the subject of someone yet to sign up).
  access: {
    create: adminsOnly,
    update: ownedBy('id'),
    delete: adminsOnly,
    fields: { roleId: { update: adminsOnly }, externalId: { create: adminsOnly, update: adminsOnly } },
  },
});
