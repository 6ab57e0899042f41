/** Relay connections: a page of rows with opaque cursors and a total counted only when asked for. */
import { type GraphQLResolveInfo, Kind } from 'graphql';
import { prefetchRelations } from '../loaders/prefetch.ts';
import type { RequestContext } from '../loaders/request-context.ts';
import type { Connection, Page } from '../query/connection-page.ts';

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
