/**
 * A model set with owners and access rules, for the access tests: users with a public name and an
 * email and pin only they see; phones without rules; profiles only their owner reads; posts public
 * when published and otherwise only to their author; safes only their user reads (a rule through a
 * relation). The same models without rules answer the statement-count comparisons.
 */

import { belongsTo, field, hasMany, hasOne, type Model, model } from '../../index.ts';
import type { AccessRules, Viewer } from '../../schema/access-rules.ts';
import type { RelgraphServer } from '../../server/create-server.ts';
import { startTestServer, type TestServer } from './test-server.ts';

/** The three viewers every path is tried with: ann owns the rows marked "ann", ben is another user. */
export const VIEWERS = { owner: '1', other: '2', anonymous: null } as const;
export type ViewerName = keyof typeof VIEWERS;
export const viewerNames = Object.keys(VIEWERS) as ViewerName[];

const self = ({ viewer }: { viewer: Viewer | null }) => (viewer ? { id: { eq: viewer.id } } : false);
const owned =
  (key: string) =>
  ({ viewer }: { viewer: Viewer | null }) =>
    viewer ? { [key]: { eq: viewer.id } } : false;

/** The models, with their rules or (for comparisons) without. Targets by name, so both sets build. */
export function accessModels(rules: boolean): Model[] {
  const access = (given: AccessRules) => (rules ? { access: given } : {});
  const User = model('User', {
    fields: {
      id: field.id(),
      name: field.string(),
      email: field.string({ unique: true, optional: true }),
      pin: field.string(),
      joinedAt: field.datetime({ optional: true }),
    },
    relations: {
      phone: hasOne('Phone'),
      profile: hasOne('Profile', { foreignKey: 'ownerId' }),
      posts: hasMany('Post', { foreignKey: 'authorId' }),
      safe: belongsTo('Safe', { optional: true, unique: true }),
      team: belongsTo('Team', { optional: true }),
    },
    ...access({
      fields: { email: self, pin: self, joinedAt: self },
      create: ({ viewer }) => viewer?.admin === true,
      update: self,
      delete: () => false,
    }),
  });
  const Phone = model('Phone', {
    fields: { id: field.id(), number: field.string() },
    relations: { user: belongsTo('User') },
  });
  const Profile = model('Profile', {
    fields: { id: field.id(), bio: field.string() },
    relations: { user: belongsTo('User', { foreignKey: 'ownerId' }) },
    ...access({
      read: owned('ownerId'),
      create: owned('ownerId'),
      update: owned('ownerId'),
      delete: owned('ownerId'),
    }),
  });
  const Post = model('Post', {
    fields: { id: field.id(), title: field.string(), status: field.enum(['draft', 'published']) },
    relations: { author: belongsTo('User') },
    ...access({
      read: ({ viewer }) => {
        const published = { status: { eq: 'published' } };
        return viewer ? { or: [published, { authorId: { eq: viewer.id } }] } : published;
      },
      // Anyone signed in may post, as themselves only, and never straight to "published" unless
      // they are an editor: the rule reads the input.
      create: ({ viewer, input }) =>
        viewer !== null &&
        (input.status !== 'published' || viewer.editor === true) &&
        owned('authorId')({ viewer }),
      update: owned('authorId'),
      delete: owned('authorId'),
    }),
  });
  const Safe = model('Safe', {
    fields: { id: field.id(), code: field.string() },
    relations: { user: hasOne('User') },
    ...access({ read: ({ viewer }) => (viewer ? { user: { id: { eq: viewer.id } } } : false) }),
  });
  const Team = model('Team', {
    fields: { id: field.id(), name: field.string() },
    relations: { members: hasMany('User') },
  });
  return [User, Phone, Profile, Post, Safe, Team];
}

/** Ann (1), Ben (2) and Cat (3); Cat has no phone and no safe; every user has drafts. */
async function seed(server: RelgraphServer) {
  const db = server.connection.database();
  const insert = (name: string, rows: Array<Record<string, unknown>>) =>
    db.insert(server.tables.byModel.get(name)?.table as never).values(rows);
  await insert('Safe', [{ code: 'ann-safe' }, { code: 'ben-safe' }]);
  await insert('Team', [{ name: 'everyone' }]);
  await insert('User', [
    {
      name: 'Ann',
      email: 'ann@example.com',
      pin: '1111',
      safeId: 1,
      teamId: 1,
      joinedAt: new Date('2024-01-01T00:00:00Z'),
    },
    {
      name: 'Ben',
      email: 'ben@example.com',
      pin: '2222',
      safeId: 2,
      teamId: 1,
      joinedAt: new Date('2024-02-01T00:00:00Z'),
    },
    { name: 'Cat', email: 'cat@example.com', pin: '3333', safeId: null, teamId: 1, joinedAt: null },
  ]);
  await insert('Phone', [
    { number: 'ann-phone', userId: 1 },
    { number: 'ben-phone', userId: 2 },
  ]);
  await insert('Profile', [
    { bio: 'ann bio', ownerId: 1 },
    { bio: 'ben bio', ownerId: 2 },
    { bio: 'cat bio', ownerId: 3 },
  ]);
  await insert('Post', [
    { title: 'ann public', status: 'published', authorId: 1 },
    { title: 'ann draft', status: 'draft', authorId: 1 },
    { title: 'ben public', status: 'published', authorId: 2 },
    { title: 'ben draft', status: 'draft', authorId: 2 },
    { title: 'cat draft', status: 'draft', authorId: 3 },
  ]);
}

/** The viewer is named by the `x-viewer` header (`id`, or `id:claim` for a claim set to true). */
function headerViewer(request: Request): Viewer | null {
  const header = request.headers.get('x-viewer');
  if (!header) return null;
  const [id = '', ...claims] = header.split(':');
  return { id, ...Object.fromEntries(claims.map((claim) => [claim, true])) };
}

export interface AccessServer {
  readonly api: TestServer;
  /** Runs `query` as `viewer` (an id, optionally with `:claim`s, or null). */
  as(viewer: string | null, query: string, variables?: Record<string, unknown>): Promise<Answer>;
}

export interface Answer {
  /** The HTTP status of the response. */
  status: number;
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
  extensions?: { sql?: { statements: number } };
}

/** A seeded server with the access models, with or without their rules. */
export async function startAccessServer(driver: 'pglite' | 'postgres', rules = true): Promise<AccessServer> {
  const api = await startTestServer(driver, accessModels(rules), { authenticate: headerViewer, seed });
  return {
    api,
    async as(viewer, query, variables) {
      const response = await api.server.yoga.fetch('http://relgraph.test/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
          ...(viewer !== null && { 'x-viewer': viewer }),
        },
        body: JSON.stringify({ query, variables }),
      });
      return { ...((await response.json()) as Omit<Answer, 'status'>), status: response.status };
    },
  };
}
