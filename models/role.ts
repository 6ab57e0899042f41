import { field, hasMany, model } from '../index.ts';
import { adminsOnly } from './rules.ts';
// biome-ignore lint/suspicious/noImportCycles: the demo models name each other in relation thunks (`() => Phone`), read after every module has loaded.
import { User } from './user.ts';

export const Role = model('Role', {
  description: 'What a User may do; every User has exactly one Role.',
  fields: { id: field.id(), name: field.string({ unique: true, description: 'admin, editor or member.' }) },
  relations: { users: hasMany(() => User) },
  access: { create: adminsOnly, update: adminsOnly, delete: adminsOnly },
});
