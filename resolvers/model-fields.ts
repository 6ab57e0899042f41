/** Field resolvers of a model type: every relation through the request's loaders, and 64-bit keys. */
import { keyOf } from '../db/keys.ts';
import type { Row } from '../loaders/load-rows.ts';
import type { GraphModel, GraphRelation } from '../schema/graph.ts';
import type { RequestContext } from '../server/context.ts';
import type { Connection } from './connection.ts';
import { primaryKeyCursor } from './query-fields.ts';

type Resolver = (row: Row, args: Record<string, unknown>, context: RequestContext) => unknown;

/** All rows of a `hasMany` as one page (paging per parent arrives with list arguments). */
function wholeList(rows: Row[], model: GraphModel): Connection {
  return {
    nodes: rows,
    hasNextPage: false,
    hasPreviousPage: false,
    cursorOf: primaryKeyCursor(model),
    totalCount: () => rows.length,
  };
}

/** Every relation kind is the same lookup: target rows whose `targetKey` equals this row's `sourceKey`. */
function relationResolver(relation: GraphRelation): Resolver {
  const { sourceKey, targetKey, target } = relation;
  if (relation.many) {
    return async (row, _args, context) =>
      wholeList(await context.loaders.many(targetKey, row[sourceKey.name]), target);
  }
  return (row, _args, context) => context.loaders.one(targetKey, row[sourceKey.name]);
}

/** The resolvers of one model type. */
export function modelFieldsOf(model: GraphModel): Record<string, Resolver> {
  const fields: Record<string, Resolver> = {};
  for (const relation of model.relations.values()) fields[relation.name] = relationResolver(relation);
  for (const field of model.fields.values()) {
    // GraphQL's ID and our BigInt scalar carry 64-bit values as strings; JSON has no bigint.
    if (field.keyType === 'bigint') fields[field.name] = (row) => keyOf(row[field.name]);
  }
  return fields;
}
