/**
 * Cancelling a statement where it runs, in PostgreSQL: a CancelRequest (protocol message 80877102)
 * on a connection of its own, naming the backend by its process id and secret key. It needs neither
 * a pooled connection (all may be busy with the statements to cancel) nor a login, so it works while
 * the pool is saturated, as `pg_cancel_backend` on another connection would not.
 */
import { connect } from 'node:net';
import type pg from 'pg';
import { statementScope } from './statement-counter.ts';

const CANCEL_REQUEST_CODE = 80877102;

/** The fields of a connected node-postgres client that a CancelRequest needs (public, undocumented). */
interface Backend {
  readonly host: string;
  readonly port: number;
  readonly processID: number | null;
  readonly secretKey: number | null;
}

/**
 * Asks PostgreSQL to cancel what `backend` runs, if `running()` still holds once the socket is open,
 * so a statement that finished meanwhile is not confused with the connection's next one.
 */
function sendCancelRequest(backend: Backend, running: () => boolean): void {
  const { host, port, processID, secretKey } = backend;
  if (processID === null || secretKey === null) return;
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  packet.writeInt32BE(processID, 8);
  packet.writeInt32BE(secretKey, 12);
  const socket = host.startsWith('/') ? connect(`${host}/.s.PGSQL.${port}`) : connect(port, host);
  // Nothing to do when it fails: the statement then ends at its own pace.
  socket.on('error', () => socket.destroy());
  socket.on('connect', () => (running() ? socket.end(packet) : socket.destroy()));
}

/**
 * Watches a statement `client` is starting, for the request running it (none outside a request):
 * past the statement timeout, or once the request's client has gone, the statement is cancelled in
 * PostgreSQL and fails with SQLSTATE 57014. Returns the function to call when the statement settles.
 */
export function watchStatement(client: pg.Client): (() => void) | undefined {
  const deadline = statementScope.getStore()?.deadline;
  if (!deadline) return undefined;
  let running = true;
  const stop = deadline.watch(() => sendCancelRequest(client as unknown as Backend, () => running));
  return () => {
    running = false;
    stop();
  };
}
