/**
 * Whether the server can listen where it is told to, said in one line a person can act on, and
 * checked before `npm start` opens its database: a start that cannot listen must not migrate, seed
 * or hold an embedded data folder first.
 */
import { createServer } from 'node:net';

/** A port this process cannot listen on: in use, or reserved for privileged processes. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
}

/** `error` from `listen(port, host)` as a `ListenError` when it is one a person can fix; else itself. */
export function listenError(error: unknown, port: number, host: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = `port ${port} on ${host}`;
  const other = 'choose another with --port <n> (npm start -- --port 4001) or PORT';
  if (code === 'EADDRINUSE') {
    return new ListenError(
      `Cannot listen: ${where} is already in use by another process; stop it, or ${other}.`,
    );
  }
  if (code === 'EACCES') {
    return new ListenError(`Cannot listen: ${where} needs privileges this process does not have; ${other}.`);
  }
  if (code === 'EADDRNOTAVAIL') {
    return new ListenError(
      `Cannot listen on ${host}: it is not an address of this machine; use --host <address> (127.0.0.1, 0.0.0.0) or HOST.`,
    );
  }
  return error;
}

/**
 * Binds `port` on `host` and lets it go again: rejects with a `ListenError` when it cannot be bound.
 * Port 0 (any free port) always can.
 */
export async function checkPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error) => reject(listenError(error, port, host)));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
