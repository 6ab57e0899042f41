import { belongsTo, field, model } from '../index.ts';
import { User } from './user.ts';

export const Post = model('Post', {
  description: 'An article written by a User.',
  fields: {
    id: field.id(),
    title: field.string({ minLength: 1, maxLength: 300 }),
    body: field.text(),
    status: field.enum(['draft', 'published'], { description: 'Only published posts are public.' }),
    publishedAt: field.datetime({ optional: true, description: 'Set when the post is published.' }),
  },
  // A description given here replaces the one relgraph writes ("The User whose id is …").
  relations: { author: belongsTo(() => User, { description: 'The User who wrote this post.' }) },
});
