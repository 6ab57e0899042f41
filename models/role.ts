import { field, hasMany, model } from '../index.ts';
import { User } from './user.ts';

export const Role = model('Role', {
  fields: { id: field.id(), name: field.string({ unique: true }) },
  relations: { users: hasMany(() => User) },
});
