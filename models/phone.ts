import { belongsTo, field, model } from '../index.ts';
import { ownedBy } from './rules.ts';
// biome-ignore lint/suspicious/noImportCycles: the demo models name each other in relation thunks (`() => Phone`), read after every module has loaded.
import { User } from './user.ts';

/** `Phone.userId` is created from the convention and made unique by `User.phone` (a hasOne). */
export const Phone = model('Phone', {
  description: "A User's phone; each User has at most one.",
  fields: {
    id: field.id(),
    number: field.string({ description: 'In international format, e.g. +44 20 7946 0000.' }),
  },
  relations: { user: belongsTo(() => User) },
  access: { create: ownedBy('userId'), update: ownedBy('userId'), delete: ownedBy('userId') },
});
