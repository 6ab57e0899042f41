/**
 * Yoga plugin: every mutation operation runs in one transaction, its fields one after another in it,
 * and commits only when the whole answer has no error. Otherwise everything is rolled back and the
 * answer is `data: null` with the errors (as Hasura answers), each saying which other fields were
 * rolled back or did not run: a client never reads data that is not in the database. Each operation
 * of a batched request is its own execution, so its own transaction. Queries are left alone.
 */
import { type ExecutionArgs, type ExecutionResult, GraphQLError, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { type MutationTransaction, startMutation } from '../db/mutation-state.ts';
import { mutationContext, type RequestContext } from '../loaders/request-context.ts';
import { FieldNotRun, rolledBackNote } from '../writes/mutation-transaction.ts';

/** Thrown inside the transaction to roll it back once the answer has errors. */
class RollBack extends Error {
  constructor(readonly result: ExecutionResult) {
    super('the mutation answered with errors');
  }
}

/** The answer's errors, the fields that did not run left out, the others told what was rolled back. */
function rolledBackErrors(errors: readonly GraphQLError[], mutation: MutationTransaction): GraphQLError[] {
  const note = rolledBackNote(mutation);
  const extensions = { rolledBack: mutation.written };
  return errors
    .filter((error) => !(error.originalError instanceof FieldNotRun))
    .map((error) =>
      note === '' || error.path === undefined
        ? error
        : new GraphQLError(`${error.message}${note}`, {
            nodes: error.nodes,
            source: error.source,
            positions: error.positions,
            path: error.path,
            originalError: error.originalError,
            extensions: { ...error.extensions, ...extensions },
          }),
    );
}

type Execute = (args: ExecutionArgs) => unknown;

async function executeInTransaction(execution: ExecutionArgs, execute: Execute): Promise<ExecutionResult> {
  const context = execution.contextValue as RequestContext;
  let mutation: MutationTransaction | undefined;
  try {
    return await context.db.transaction(async (tx) => {
      mutation = startMutation(tx);
      const result = (await execute({
        ...execution,
        contextValue: mutationContext(context, mutation),
      })) as ExecutionResult;
      if (result.errors?.length) throw new RollBack(result);
      return result;
    });
  } catch (error) {
    if (!(error instanceof RollBack) || !mutation) throw error;
    return { ...error.result, data: null, errors: rolledBackErrors(error.result.errors ?? [], mutation) };
  }
}

export function useMutationTransaction(): Plugin<RequestContext> {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      if (getOperationAST(args.document, args.operationName)?.operation !== 'mutation') return;
      setExecuteFn((execution) => executeInTransaction(execution, executeFn));
    },
  };
}
