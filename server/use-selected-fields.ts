/**
 * Yoga plugin: before a query runs, tells its context what it reads of each model
 * (`query/selected-fields.ts`), so its statements select only those columns.
 */
import type { Plugin } from 'graphql-yoga';
import type { RequestContext } from '../loaders/request-context.ts';
import { selectedFields } from '../query/selected-fields.ts';
import type { RelationGraph } from '../schema/graph.ts';

export function useSelectedFields(graph: RelationGraph): Plugin<RequestContext> {
  return {
    onExecute({ args }) {
      const context = args.contextValue as RequestContext;
      context.selection.fields = selectedFields(args.schema, graph, args.document, args.operationName);
    },
  };
}
