/** The API's schema as one sorted SDL document: what `npm run schema:print` writes to `schema.graphql`. */
import { buildSchema, lexicographicSortSchema, printSchema } from 'graphql';
import type { RelationGraph } from './graph.ts';
import { buildTypeDefs } from './type-defs.ts';

/**
 * The SDL of `graph` with every description, types and fields in alphabetical order, so the file
 * changes only where the models do and any SDL consumer (GraphQL Code Generator, an IDE) can read it.
 */
export function printGraphSchema(graph: RelationGraph): string {
  return `${printSchema(lexicographicSortSchema(buildSchema(buildTypeDefs(graph))))}\n`;
}
