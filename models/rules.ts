/**
 * The demo's access policy. Anyone may read the member directory — users, their phones, profiles,
 * addresses and roles, and published posts — so GraphiQL and the benchmark work without signing in.
 * Signed-in members also see drafts they wrote and profiles' websites; they write only their own rows.
 * Admins (`role: "admin"` in the token) read and write everything; editors also edit every post.
 */
import type { ReadRuleArguments, Viewer, Where } from '../index.ts';

export const isAdmin = (viewer: Viewer | null) => viewer?.role === 'admin';

export const signedIn = ({ viewer }: ReadRuleArguments) => viewer !== null;

export const adminsOnly = ({ viewer }: ReadRuleArguments) => isAdmin(viewer);

/** Rows whose `key` is the viewer's id (a filter), every row for admins, none for anonymous viewers. */
export const ownedBy =
  (key: string) =>
  ({ viewer }: ReadRuleArguments): boolean | Where =>
    isAdmin(viewer) || (viewer !== null && { [key]: { eq: viewer.id } });
