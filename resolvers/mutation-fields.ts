/**
 * `createX`, `updateX`, `deleteX`: all the fields of a mutation operation run in its one transaction
 * (`MutationTransaction`), all or nothing; a field run without one gets a transaction of its own.
 */
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { Row } from '../db/prepared-rows.ts';
import type { Tables } from '../db/tables.ts';
import type { RequestContext } from '../loaders/request-context.ts';
import { keyArgument, keyEquals } from '../query/key-sql.ts';
import type { GraphModel, RelationGraph } from '../schema/graph.ts';
import { mutationName } from '../schema/input-names.ts';
import { createRows } from '../writes/create-rows.ts';
import { ConstraintIndex, clientErrorOf, isFailedTransaction } from '../writes/database-errors.ts';
import type { Values } from '../writes/input-values.ts';
import { FieldNotRun } from '../writes/mutation-transaction.ts';
import { PlannedCreates } from '../writes/planned-creates.ts';
import { updateRow } from '../writes/update-row.ts';
import { tableOf, type WriteContext } from '../writes/write-context.ts';
import { deleteOne, readBack } from '../writes/write-guard.ts';

type Resolver = (
  source: unknown,
  args: Record<string, unknown>,
  context: RequestContext,
  info: GraphQLResolveInfo,
) => unknown;

interface Writer {
  /**
   * Runs `write` in a transaction; the row it returns is the answer, read back as the viewer may see
   * it unless `visible` says it already is (a deleted row's last state). `key` is the field's
   * response key (its alias), which the mutation's errors name.
   */
  run(
    context: RequestContext,
    model: GraphModel,
    field: string,
    key: string,
    write: (writeContext: WriteContext) => Promise<Row>,
    visible?: boolean,
  ): Promise<Row>;
}

/**
 * Runs a write in the operation's transaction (or one of its own), none once a field before it has
 * failed. Client-caused database errors become client errors; the loaders are cleared so the result
 * and the fields after it read the database as it now is.
 */
function createWriter(graph: RelationGraph, tables: Tables): Writer {
  const constraints = new ConstraintIndex(graph);
  return {
    async run(context, model, field, key, write, visible = false) {
      const { mutation } = context;
      if (mutation?.failed !== undefined) {
        mutation.skipped.push(key);
        throw new FieldNotRun(key);
      }
      const inTransaction = async (tx: WriteContext['tx']) => {
        const { access } = context;
        const writeContext = {
          tx,
          tables,
          graph,
          foreignKeys: graph.foreignKeys,
          access,
          planned: new PlannedCreates(),
        };
        const written = await write(writeContext);
        return visible ? written : readBack(writeContext, model, written, field);
      };
      try {
        // No savepoint per field: a failed field rolls the whole operation back anyway.
        const row = await (mutation ? inTransaction(mutation.tx) : context.db.transaction(inTransaction));
        mutation?.written.push(key);
        context.loaders.clear();
        context.loaders.prime(model, [row]);
        return row;
      } catch (error) {
        context.loaders.clear();
        if (mutation) mutation.failed = key;
        // A read of an earlier field's answer failed in the database, which aborted the transaction.
        if (mutation && isFailedTransaction(error)) {
          mutation.skipped.push(key);
          throw new FieldNotRun(key);
        }
        if (error instanceof GraphQLError) throw error;
        throw clientErrorOf(error, constraints) ?? error;
      }
    },
  };
}

function fieldsOf(model: GraphModel, writer: Writer): Record<string, Resolver> {
  const key = model.primaryKey;
  const byKey = (writeContext: WriteContext, args: Record<string, unknown>) =>
    keyEquals(tableOf(writeContext, model), key, keyArgument(key, args[key.name], key.name));
  const missing = (args: Record<string, unknown>) => `with ${key.name} "${String(args[key.name])}"`;
  const [create, update, remove] = (['create', 'update', 'delete'] as const).map((verb) =>
    mutationName(verb, model),
  ) as [string, string, string];
  return {
    [create]: (_source, args, context, info) =>
      writer.run(context, model, create, String(info.path.key), async (writeContext) => {
        const shape = { model, mode: 'create', via: undefined } as const;
        writeContext.planned.plan(shape, args.input as Values, 'input');
        const [row] = await createRows(writeContext, shape, [{ input: args.input as Values, path: 'input' }]);
        return row as Row;
      }),
    [update]: (_source, args, context, info) =>
      writer.run(context, model, update, String(info.path.key), (writeContext) => {
        const shape = { model, mode: 'update', via: undefined } as const;
        writeContext.planned.plan(shape, args.input as Values, 'input');
        return updateRow(
          writeContext,
          shape,
          byKey(writeContext, args),
          args.input as Values,
          'input',
          missing(args),
        );
      }),
    [remove]: (_source, args, context, info) =>
      writer.run(
        context,
        model,
        remove,
        String(info.path.key),
        (writeContext) => deleteOne(writeContext, model, byKey(writeContext, args), key.name, missing(args)),
        true,
      ),
  };
}

/** The `Mutation` fields of every model. */
export function mutationFields(graph: RelationGraph, tables: Tables): Record<string, Resolver> {
  const writer = createWriter(graph, tables);
  return Object.assign({}, ...[...graph.models.values()].map((model) => fieldsOf(model, writer)));
}
