/** Yoga plugin: `extensions.sql.statements` on every response, so batching is visible in GraphiQL. */
import type { Plugin } from 'graphql-yoga';
import type { RequestContext } from '../loaders/request-context.ts';

export function useSqlStats(): Plugin<RequestContext> {
  return {
    onExecute() {
      return {
        onExecuteDone({ args, result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          const statements = (args.contextValue as RequestContext).statements.count;
          setResult({ ...result, extensions: { ...result.extensions, sql: { statements } } });
        },
      };
    },
  };
}
