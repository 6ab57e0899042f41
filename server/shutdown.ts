/**
 * Graceful shutdown of the command-line server: on SIGTERM or SIGINT, stop accepting connections,
 * let requests in flight finish within the grace period, close the database pool, exit 0. A second
 * signal while that runs exits at once (status 1), for an operator who cannot wait.
 */
import type { RelgraphServer } from './create-server.ts';

export function closeOnSignals(server: RelgraphServer, exit: (code: number) => void = process.exit): void {
  const { logger } = server;
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn({ signal }, 'second signal during shutdown: exiting without waiting');
      exit(1);
      return;
    }
    closing = true;
    const graceMs = server.settings.shutdownGraceMs;
    logger.info({ signal, graceMs }, 'shutting down: no new connections, finishing requests in flight');
    server.close().then(
      () => {
        logger.info('shut down');
        exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
