import { field, hasMany, model } from '../index.ts';
import { adminsOnly } from './rules.ts';
import { User } from './user.ts';

export const Role = model('Role', {
  fields: { id: field.id(), name: field.string({ unique: true }) },
  relations: { users: hasMany(() => User) },
  access: { create: adminsOnly, update: adminsOnly, delete: adminsOnly },
});
