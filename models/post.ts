import { belongsTo, field, model } from '../index.ts';
import { User } from './user.ts';

export const Post = model('Post', {
  fields: {
    id: field.id(),
    title: field.string({ minLength: 1, maxLength: 300 }),
    body: field.text(),
    status: field.enum(['draft', 'published']),
    publishedAt: field.datetime({ optional: true }),
  },
  relations: { author: belongsTo(() => User) },
});
