/** `createX`, `updateX`, `deleteX`: each mutation field is one transaction, all or nothing. */
import { GraphQLError } from 'graphql';
import type { Tables } from '../db/tables.ts';
import type { Row } from '../loaders/load-rows.ts';
import type { GraphModel, RelationGraph } from '../schema/graph.ts';
import { mutationName } from '../schema/input-names.ts';
import type { RequestContext } from '../server/context.ts';
import { keyArgument, keyEquals } from './query-fields.ts';
import { createRows } from './write/create-rows.ts';
import { ConstraintIndex, clientErrorOf } from './write/database-errors.ts';
import type { Values } from './write/input-values.ts';
import { updateRow } from './write/update-row.ts';
import { notFound, tableOf, type WriteContext } from './write/write-context.ts';

type Resolver = (source: unknown, args: Record<string, unknown>, context: RequestContext) => unknown;

interface Writer {
  run(
    context: RequestContext,
    model: GraphModel,
    write: (writeContext: WriteContext) => Promise<Row>,
  ): Promise<Row>;
}

/**
 * Runs a write in its own transaction. Client-caused database errors become client errors (the
 * transaction is already rolled back); the loaders are cleared so the result is read fresh.
 */
function createWriter(graph: RelationGraph, tables: Tables): Writer {
  const constraints = new ConstraintIndex(graph);
  return {
    async run(context, model, write) {
      try {
        const row = await context.db.transaction((tx) =>
          write({ tx, tables, graph, foreignKeys: graph.foreignKeys }),
        );
        context.loaders.clear();
        context.loaders.prime(model, [row]);
        return row;
      } catch (error) {
        context.loaders.clear();
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
  return {
    [mutationName('create', model)]: (_source, args, context) =>
      writer.run(context, model, async (writeContext) => {
        const [row] = await createRows(writeContext, { model, mode: 'create', via: undefined }, [
          { input: args.input as Values, path: 'input' },
        ]);
        return row as Row;
      }),
    [mutationName('update', model)]: (_source, args, context) =>
      writer.run(context, model, (writeContext) =>
        updateRow(
          writeContext,
          { model, mode: 'update', via: undefined },
          byKey(writeContext, args),
          args.input as Values,
          'input',
          missing(args),
        ),
      ),
    [mutationName('delete', model)]: (_source, args, context) =>
      writer.run(context, model, async (writeContext) => {
        const [row] = await writeContext.tx
          .delete(tableOf(writeContext, model).table)
          .where(byKey(writeContext, args))
          .returning();
        if (!row) throw notFound(key.name, model, missing(args));
        return row;
      }),
  };
}

/** The `Mutation` fields of every model. */
export function mutationFields(graph: RelationGraph, tables: Tables): Record<string, Resolver> {
  const writer = createWriter(graph, tables);
  return Object.assign({}, ...[...graph.models.values()].map((model) => fieldsOf(model, writer)));
}
