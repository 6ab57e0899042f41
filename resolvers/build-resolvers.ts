/** The resolver map of the generated schema. */
import type { GraphQLScalarType } from 'graphql';
import type { Row } from '../db/prepared-rows.ts';
import type { Tables } from '../db/tables.ts';
import { pivotOf } from '../loaders/child-pages.ts';
import type { RelationGraph } from '../schema/graph.ts';
import { modelNames, pivotListNames } from '../schema/graphql-names.ts';
import { usedScalars } from '../schema/type-defs.ts';
import { connectionResolvers } from './connection.ts';
import { modelFieldsOf } from './model-fields.ts';
import { mutationFields } from './mutation-fields.ts';
import { queryFieldsOf } from './query-fields.ts';
import { scalars } from './scalars.ts';

type ResolverMap = Record<string, Record<string, unknown> | GraphQLScalarType>;

/** Resolvers for every type of `buildTypeDefs(graph)` (custom scalars only where the SDL declares them). */
export function buildResolvers(graph: RelationGraph, tables: Tables): ResolverMap {
  const resolvers: ResolverMap = {};
  const query: Record<string, unknown> = {};
  for (const table of tables.byModel.values()) {
    const names = modelNames(table.model);
    Object.assign(query, queryFieldsOf(table));
    resolvers[names.type] = modelFieldsOf(table.model);
    resolvers[names.connection] = connectionResolvers;
    for (const relation of table.model.manyToMany.values()) {
      const { connection, edge } = pivotListNames(relation);
      resolvers[connection] = connectionResolvers;
      resolvers[edge] = { pivot: (edge: { node: Row }) => pivotOf(edge.node) };
    }
  }
  for (const { model } of graph.pivots) resolvers[model.name] = modelFieldsOf(model);
  resolvers.Query = query;
  resolvers.Mutation = mutationFields(graph, tables);
  for (const name of usedScalars(graph)) {
    const scalar = scalars[name as keyof typeof scalars];
    if (scalar) resolvers[name] = scalar;
  }
  return resolvers;
}
