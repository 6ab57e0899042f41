/** Cursors and page sizes of keyset pagination: what a client may pass as `first`/`after`/`last`/`before`. */
import { clientError, ErrorCode } from '../errors.ts';

/** Cursors encode the order values of a row (keyset pagination, not an offset) and which ordering made them. */
export function encodeCursor(signature: string, values: readonly unknown[]): string {
  const plain = values.map((value) => (typeof value === 'bigint' ? value.toString() : value));
  return Buffer.from(JSON.stringify([signature, ...plain])).toString('base64url');
}

/** The order values inside a cursor this list gave out; anything else is a BAD_USER_INPUT. */
export function decodeCursor(cursor: string, signature: string, length: number, argument: string): unknown[] {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {}
  if (Array.isArray(payload) && payload.length === length + 1 && payload[0] === signature) {
    const values = payload.slice(1);
    if (values.every((value) => value === null || ['string', 'number', 'boolean'].includes(typeof value)))
      return values;
  }
  const other = Array.isArray(payload) && typeof payload[0] === 'string' && payload[0] !== signature;
  throw clientError(
    ErrorCode.BAD_USER_INPUT,
    other
      ? `"${argument}" is a cursor of this list in another order; page with the same orderBy the cursor came from.`
      : `"${argument}" must be a cursor from this list's pageInfo or an edge's cursor; received ${JSON.stringify(cursor)}.`,
    { argument },
  );
}

/** `first` (or `last`) checked against the page-size limit; omitted means the largest page. */
export function pageSize(size: number | null | undefined, max: number, argument = 'first'): number {
  if (size === null || size === undefined) return max;
  if (size < 0 || size > max) {
    throw clientError(
      ErrorCode.BAD_USER_INPUT,
      `"${argument}" must be between 0 and ${max} (the maximum page size); received ${size}. Page through longer lists with cursors.`,
      { argument, max },
    );
  }
  return size;
}
