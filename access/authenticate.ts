/** Turning a request into its viewer: `createServer({ authenticate })`. */
import type { Viewer } from '../schema/access-rules.ts';

/**
 * Resolves the viewer of a request, or `null` for an anonymous one. Throw `unauthenticated(…)` for
 * credentials that do not verify; any other error is a server error.
 */
export type Authenticate = (request: Request) => Viewer | null | Promise<Viewer | null>;
