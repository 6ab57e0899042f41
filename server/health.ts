/**
 * `/ready`, the readiness check: 200 `{"status":"ready"}` when the database answers `select 1`
 * within the timeout, 200 `{"status":"busy"}` when every pooled connection is in use but the
 * database answers on a connection of its own (a saturated pool is load: pulling every instance
 * out of rotation for it would turn load into an outage), else 503 — `unavailable` while the
 * database is away, `draining` once the server is shutting down — so a load balancer stops
 * sending requests. `/health` (liveness: the process answers) is yoga's own, a 200 with an empty body.
 */
import { type Plugin, useReadinessCheck } from 'graphql-yoga';
import type { DatabaseConnection } from '../db/client.ts';
import type { Logger } from './logging.ts';

export interface ReadinessOptions {
  readonly connection: DatabaseConnection;
  readonly timeoutMs: number;
  readonly draining: () => boolean;
  readonly logger: Logger;
}

/** Resolves when `promise` does, rejects if it takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function useReadiness({ connection, timeoutMs, draining, logger }: ReadinessOptions): Plugin {
  return useReadinessCheck({
    endpoint: '/ready',
    async check({ fetchAPI }) {
      const answer = (status: number, body: Record<string, string>) =>
        new fetchAPI.Response(JSON.stringify(body), {
          status,
          headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
        });
      if (draining()) return answer(503, { status: 'draining' });
      try {
        return answer(200, { status: await within(connection.ping(), timeoutMs) });
      } catch (error) {
        // The cause stays in the log: a host name or port is nothing a prober needs to see.
        logger.warn({ err: error }, 'readiness check: the database did not answer');
        return answer(503, { status: 'unavailable', database: 'unreachable' });
      }
    },
  });
}
