import { field, hasOne, model, type ReadRuleArguments } from '../index.ts';
import { isAdmin, signedIn } from './rules.ts';
// biome-ignore lint/suspicious/noImportCycles: the demo models name each other in relation thunks (`() => Phone`), read after every module has loaded.
import { User } from './user.ts';

const livesHere = ({ viewer }: ReadRuleArguments) =>
  isAdmin(viewer) || (viewer !== null && { user: { id: { eq: viewer.id } } });

/** The other side of the optional one-to-one `User.address`: the User whose addressId is this id. */
export const Address = model('Address', {
  description: 'A postal address; at most one User lives at each.',
  fields: { id: field.id(), street: field.string(), city: field.string() },
  relations: { user: hasOne(() => User) },
  // A new address is linked to its user after it is created, so creating needs only a member;
  // changing one is for the user who lives there (a rule through the relation), or an admin.
  access: { create: signedIn, update: livesHere, delete: livesHere },
});
