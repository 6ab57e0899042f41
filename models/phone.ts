import { belongsTo, field, model } from '../index.ts';
import { ownedBy } from './rules.ts';
import { User } from './user.ts';

/** `Phone.userId` is created from the convention and made unique by `User.phone` (a hasOne). */
export const Phone = model('Phone', {
  fields: { id: field.id(), number: field.string() },
  relations: { user: belongsTo(() => User) },
  access: { create: ownedBy('userId'), update: ownedBy('userId'), delete: ownedBy('userId') },
});
