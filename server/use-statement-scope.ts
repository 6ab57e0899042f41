/**
 * Yoga plugin: runs each operation inside `statementScope` with its request's counter, so statements
 * on the shared database count for the request that ran them (for statistics and the budget).
 */
import type { Plugin } from 'graphql-yoga';
import { statementScope } from '../db/statement-counter.ts';
import type { RequestContext } from '../loaders/request-context.ts';

export function useStatementScope(): Plugin<RequestContext> {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn((args) =>
        statementScope.run((args.contextValue as RequestContext).statements, () => executeFn(args)),
      );
    },
  };
}
