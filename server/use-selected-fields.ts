/**
 * Yoga plugin: before a query runs, tells its context what it reads of each model
 * (`resolvers/selected-fields.ts`), so its statements select only those columns.
 */
import type { Plugin } from 'graphql-yoga';
import { selectedFields } from '../resolvers/selected-fields.ts';
import type { RelationGraph } from '../schema/graph.ts';
import type { RequestContext } from './context.ts';

export function useSelectedFields(graph: RelationGraph): Plugin<RequestContext> {
  return {
    onExecute({ args }) {
      const context = args.contextValue as RequestContext;
      context.selection.fields = selectedFields(args.schema, graph, args.document, args.operationName);
    },
  };
}
