/**
 * Whether an error means the database cannot be reached (down, restarting, refusing connections),
 * rather than that a statement was wrong: such a request may succeed when retried.
 */

/** Socket errors of a connection to a server that is away or unreachable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** node-postgres reports a lost or unobtainable connection by message only, without a code. */
const LOST_CONNECTION =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|timeout expired)/;

/**
 * SQLSTATEs of a server that is going away or not taking connections: class 08 (connection
 * exception), 57P01-57P03 (admin or crash shutdown, cannot connect now), 53300 (too many connections).
 */
const UNAVAILABLE_STATE = /^(08...|57P0[123]|53300)$/;

/** Whether `error` or any error it wraps passes `test`. */
function someCause(error: unknown, test: (cause: Error, code: unknown) => boolean): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (!(current instanceof Error) || seen.has(current)) continue;
    seen.add(current);
    if (test(current, (current as Error & { code?: unknown }).code)) return true;
    // Drizzle wraps the driver's error in `cause`, GraphQL in `originalError`; a connection attempt to
    // a name with several addresses fails with an AggregateError of one error per address.
    pending.push(current.cause, (current as Error & { originalError?: unknown }).originalError);
    if (current instanceof AggregateError) pending.push(...current.errors);
  }
  return false;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return someCause(error, (cause, code) =>
    typeof code === 'string'
      ? NETWORK_CODES.has(code) || UNAVAILABLE_STATE.test(code)
      : code === undefined && LOST_CONNECTION.test(cause.message),
  );
}

/** Whether a statement was cancelled (SQLSTATE 57014): by its request's deadline, or by `statement_timeout`. */
export function isStatementCancelled(error: unknown): boolean {
  return someCause(error, (_, code) => code === '57014');
}
