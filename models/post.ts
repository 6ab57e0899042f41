import { belongsTo, field, model } from '../index.ts';
import { isAdmin, ownedBy } from './rules.ts';
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
  access: {
    // Published posts are public; drafts are seen by their author, editors and admins.
    read: ({ viewer }) => {
      if (isAdmin(viewer) || viewer?.role === 'editor') return true;
      const published = { status: { eq: 'published' } };
      return viewer ? { or: [published, { authorId: { eq: viewer.id } }] } : published;
    },
    create: ownedBy('authorId'),
    update: ({ viewer }) => viewer?.role === 'editor' || ownedBy('authorId')({ viewer }),
    delete: ownedBy('authorId'),
  },
});
