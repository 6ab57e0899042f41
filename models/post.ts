import { belongsTo, field, model } from '../index.ts';
import { isAdmin, ownedBy } from './rules.ts';
// biome-ignore lint/suspicious/noImportCycles: the demo models name each other in relation thunks (`() => Phone`), read after every module has loaded.
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
