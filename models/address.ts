import { field, hasOne, model } from '../index.ts';
import { User } from './user.ts';

/** The other side of the optional one-to-one `User.address`: the User whose addressId is this id. */
export const Address = model('Address', {
  description: 'A postal address; at most one User lives at each.',
  fields: { id: field.id(), street: field.string(), city: field.string() },
  relations: { user: hasOne(() => User) },
});
