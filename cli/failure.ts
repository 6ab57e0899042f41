/** The message a failed command prints: the error and its causes, and what to check when the database is unreachable. */

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EAI_AGAIN']);

/** Every message of `error` and its `cause` chain, innermost last, with a hint for an unreachable database. */
export function describeFailure(error: unknown): string {
  const lines: string[] = [];
  let unreachable = false;
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 5; depth++) {
    const { message, code, cause } = (current ?? {}) as { message?: string; code?: string; cause?: unknown };
    lines.push(`${depth === 0 ? '' : 'caused by: '}${message ?? String(current)}`);
    if (code && UNREACHABLE.has(code)) unreachable = true;
    current = cause;
  }
  if (unreachable) {
    lines.push(
      'The database at DATABASE_URL cannot be reached: check that PostgreSQL runs there and the URL is right.',
    );
  }
  return lines.join('\n');
}
