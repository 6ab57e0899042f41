/** Relay connections: a page of rows with opaque cursors and a total counted only when asked for. */
import { type GraphQLResolveInfo, Kind } from 'graphql';
import type { Row } from '../loaders/load-rows.ts';
import type { GraphModel } from '../schema/graph.ts';
import type { RequestContext } from '../server/context.ts';
import { clientError, ErrorCode } from './errors.ts';
import { prefetchRelations } from './prefetch.ts';

export interface Page {
  readonly nodes: readonly Row[];
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
}

/** A list field's answer: each part is fetched only when a client selects it. */
export interface Connection {
  /** The model of the rows (none for the empty list), whose relations `nodes` loads ahead. */
  readonly model?: GraphModel;
  /** Runs when `nodes`, `edges` or `pageInfo` is selected. */
  readonly page: () => Promise<Page> | Page;
  readonly cursorOf: (row: Row) => string;
  /** Runs when `totalCount` is selected. */
  readonly totalCount: () => Promise<number> | number;
}

/** The list with no rows (a `hasMany` of a row whose key is null). */
export const emptyConnection: Connection = {
  page: () => ({ nodes: [], hasNextPage: false, hasPreviousPage: false }),
  cursorOf: () => '',
  totalCount: () => 0,
};

/** Runs `load` once, on first call. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => {
    result ??= load();
    return result;
  };
}

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

/** `then` on a value that may be a promise: a value already there is used at once. */
function whenRead<T, U>(value: T | Promise<T>, use: (value: T) => U | Promise<U>): U | Promise<U> {
  return value instanceof Promise ? value.then(use) : use(value);
}

/** The page, with the relations the selection asks for on its rows loaded ahead. */
function prefetchedPage(
  connection: Connection,
  context: RequestContext,
  info: GraphQLResolveInfo,
  inEdges: boolean,
): Page | Promise<Page> {
  return whenRead(connection.page(), (page) => {
    const { model } = connection;
    if (!model) return page;
    const pending: Array<Promise<unknown>> = [];
    for (const fieldNode of info.fieldNodes) {
      const selection = inEdges
        ? fieldNode.selectionSet?.selections.find(
            (node) => node.kind === Kind.FIELD && node.name.value === 'node',
          )
        : fieldNode;
      if (selection?.kind !== Kind.FIELD) continue;
      const loading = prefetchRelations(context, model, page.nodes, selection.selectionSet, info);
      if (loading) pending.push(loading);
    }
    return pending.length > 0 ? Promise.all(pending).then(() => page) : page;
  });
}

type ConnectionResolver = (
  connection: Connection,
  args: unknown,
  context: RequestContext,
  info: GraphQLResolveInfo,
) => unknown;

/** The resolvers shared by every `<Model>Connection` type. */
export const connectionResolvers: Record<string, ConnectionResolver> = {
  nodes: (connection, _args, context, info) =>
    whenRead(prefetchedPage(connection, context, info, false), (page) => page.nodes),
  edges: (connection, _args, context, info) =>
    whenRead(prefetchedPage(connection, context, info, true), (page) =>
      page.nodes.map((node) => ({ node, cursor: connection.cursorOf(node) })),
    ),
  pageInfo: (connection) =>
    whenRead(connection.page(), (page) => {
      const first = page.nodes[0];
      const last = page.nodes.at(-1);
      return {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.hasPreviousPage,
        startCursor: first ? connection.cursorOf(first) : null,
        endCursor: last ? connection.cursorOf(last) : null,
      };
    }),
  totalCount: (connection) => connection.totalCount(),
};
