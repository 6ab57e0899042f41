/** The text of every statement a server runs, recorded beside its statement counting. */
import type { Logger } from 'drizzle-orm';
import type { RelgraphServer } from '../../server/create-server.ts';

/** Starts recording into the returned list (empty it before a request to see that request's statements). */
export function recordStatements(server: RelgraphServer): string[] {
  const statements: string[] = [];
  // Every statement passes one logger object, the shared database's (a mutation's transaction copies
  // the reference): record them beside the counting by wrapping that object's method.
  const shared = server.connection.shared as unknown as { session: { logger: Logger } };
  const counting = shared.session.logger;
  const logQuery = counting.logQuery.bind(counting);
  counting.logQuery = (query, params) => {
    statements.push(query);
    logQuery(query, params);
  };
  return statements;
}
