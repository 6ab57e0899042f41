/** `createX`, `updateX`, `deleteX`: each mutation field is one transaction, all or nothing. */

import { GraphQLError } from 'graphql';
import { deleteLocated, guarded, locateForWrite, readBack } from '../access/write-guard.ts';
import type { Row } from '../db/prepared-rows.ts';
import type { Tables } from '../db/tables.ts';
import type { GraphModel, RelationGraph } from '../schema/graph.ts';
import { mutationName } from '../schema/input-names.ts';
import type { RequestContext } from '../server/context.ts';
import { notFound } from './errors.ts';
import { keyArgument, keyEquals } from './lists/key-sql.ts';
import { createRows } from './write/create-rows.ts';
import { ConstraintIndex, clientErrorOf } from './write/database-errors.ts';
import type { Values } from './write/input-values.ts';
import { updateRow } from './write/update-row.ts';
import { tableOf, type WriteContext } from './write/write-context.ts';

type Resolver = (source: unknown, args: Record<string, unknown>, context: RequestContext) => unknown;

interface Writer {
  /**
   * Runs `write` in a transaction; the row it returns is the answer, read back as the viewer may see
   * it unless `visible` says it already is (a deleted row's last state).
   */
  run(
    context: RequestContext,
    model: GraphModel,
    field: string,
    write: (writeContext: WriteContext) => Promise<Row>,
    visible?: boolean,
  ): Promise<Row>;
}

/**
 * Runs a write in its own transaction. Client-caused database errors become client errors (the
 * transaction is already rolled back); the loaders are cleared so the result is read fresh.
 */
function createWriter(graph: RelationGraph, tables: Tables): Writer {
  const constraints = new ConstraintIndex(graph);
  return {
    async run(context, model, field, write, visible = false) {
      try {
        const row = await context.db.transaction(async (tx) => {
          const writeContext = { tx, tables, graph, foreignKeys: graph.foreignKeys, access: context.access };
          const written = await write(writeContext);
          return visible ? written : readBack(writeContext, model, written, field);
        });
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
  const [create, update, remove] = (['create', 'update', 'delete'] as const).map((verb) =>
    mutationName(verb, model),
  ) as [string, string, string];
  return {
    [create]: (_source, args, context) =>
      writer.run(context, model, create, async (writeContext) => {
        const [row] = await createRows(writeContext, { model, mode: 'create', via: undefined }, [
          { input: args.input as Values, path: 'input' },
        ]);
        return row as Row;
      }),
    [update]: (_source, args, context) =>
      writer.run(context, model, update, (writeContext) =>
        updateRow(
          writeContext,
          { model, mode: 'update', via: undefined },
          byKey(writeContext, args),
          args.input as Values,
          'input',
          missing(args),
        ),
      ),
    [remove]: (_source, args, context) =>
      writer.run(
        context,
        model,
        remove,
        async (writeContext) => {
          if (guarded(writeContext, model, 'delete', {})) {
            const found = await locateForWrite(
              writeContext,
              model,
              byKey(writeContext, args),
              'delete',
              {},
              key.name,
              missing(args),
            );
            await deleteLocated(writeContext, model, found.row);
            return found.row;
          }
          const [row] = await writeContext.tx
            .delete(tableOf(writeContext, model).table)
            .where(byKey(writeContext, args))
            .returning();
          if (!row) throw notFound(key.name, model, missing(args));
          return row;
        },
        true,
      ),
  };
}

/** The `Mutation` fields of every model. */
export function mutationFields(graph: RelationGraph, tables: Tables): Record<string, Resolver> {
  const writer = createWriter(graph, tables);
  return Object.assign({}, ...[...graph.models.values()].map((model) => fieldsOf(model, writer)));
}
