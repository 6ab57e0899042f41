import { belongsTo, field, model } from '../index.ts';
import { ownedBy, signedIn } from './rules.ts';
// biome-ignore lint/suspicious/noImportCycles: the demo models name each other in relation thunks (`() => Phone`), read after every module has loaded.
import { User } from './user.ts';

/** The custom foreign key `ownerId` is named on both sides, so they pair into one link. */
export const Profile = model('Profile', {
  description: 'What a User tells about themselves.',
  fields: {
    id: field.id(),
    bio: field.text(),
    website: field.string({ optional: true, description: 'A URL, if the User has a website.' }),
  },
  relations: { user: belongsTo(() => User, { foreignKey: 'ownerId' }) },
  access: {
    create: ownedBy('ownerId'),
    update: ownedBy('ownerId'),
    delete: ownedBy('ownerId'),
    // Shown to members only: anonymous visitors read null.
    fields: { website: signedIn },
  },
});
