/** The text of every statement a server runs, recorded beside its statement counting. */
import type { Logger } from 'drizzle-orm';
import type { RelgraphServer } from '../../server/create-server.ts';

/** Starts recording into the returned list (empty it before a request to see that request's statements). */
export function recordStatements(server: RelgraphServer): string[] {
  const statements: string[] = [];
  // Every statement of the shared database passes its logger: record them beside the counting.
  const shared = server.connection.shared as unknown as { session: { logger: Logger } };
  const counting = shared.session.logger;
  shared.session.logger = {
    logQuery(query, params) {
      statements.push(query);
      counting.logQuery(query, params);
    },
  };
  return statements;
}
