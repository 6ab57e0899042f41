/** Relay connections: a page of rows with opaque cursors and a total counted only when asked for. */
import type { Row } from '../loaders/load-rows.ts';
import { clientError, ErrorCode } from './errors.ts';

export interface Connection {
  readonly nodes: readonly Row[];
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly cursorOf: (row: Row) => string;
  /** Runs only when a client selects `totalCount`. */
  readonly totalCount: () => Promise<number> | number;
}

/** Cursors encode the order keys of a row (keyset pagination), not an offset. */
export function encodeCursor(keys: readonly unknown[]): string {
  return Buffer.from(
    JSON.stringify(keys.map((key) => (typeof key === 'bigint' ? key.toString() : key))),
  ).toString('base64url');
}

/** The order keys inside a cursor this API gave out; anything else is a BAD_USER_INPUT. */
export function decodeCursor(cursor: string, length: number): unknown[] {
  try {
    const keys: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(keys) && keys.length === length) return keys;
  } catch {}
  throw clientError(
    ErrorCode.BAD_USER_INPUT,
    `"after" must be a cursor from this list's pageInfo.endCursor or an edge's cursor; received ${JSON.stringify(cursor)}.`,
    { argument: 'after' },
  );
}

/** `first` checked against the page-size limit; omitted means the largest page. */
export function pageSize(first: number | null | undefined, max: number): number {
  if (first === null || first === undefined) return max;
  if (first < 0 || first > max) {
    throw clientError(
      ErrorCode.BAD_USER_INPUT,
      `"first" must be between 0 and ${max} (the maximum page size); received ${first}. Page through longer lists with "after".`,
      { argument: 'first', max },
    );
  }
  return first;
}

/** The resolvers shared by every `<Model>Connection` and `<Model>Edge` type. */
export const connectionResolvers = {
  nodes: (connection: Connection) => connection.nodes,
  edges: (connection: Connection) =>
    connection.nodes.map((node) => ({ node, cursor: connection.cursorOf(node) })),
  pageInfo: (connection: Connection) => {
    const first = connection.nodes[0];
    const last = connection.nodes.at(-1);
    return {
      hasNextPage: connection.hasNextPage,
      hasPreviousPage: connection.hasPreviousPage,
      startCursor: first ? connection.cursorOf(first) : null,
      endCursor: last ? connection.cursorOf(last) : null,
    };
  },
  totalCount: (connection: Connection) => connection.totalCount(),
};
