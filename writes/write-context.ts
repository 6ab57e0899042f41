/** What every write step needs: the transaction, the tables, which fields are foreign keys, the viewer's rules. */
import type { RequestAccess } from '../access/request-access.ts';
import type { Database } from '../db/client.ts';
import { type ModelTable, modelTable, type Tables } from '../db/tables.ts';
import type { ForeignKeys, GraphModel, RelationGraph } from '../schema/graph.ts';
import type { PlannedCreates } from './planned-creates.ts';

export interface WriteContext {
  /** The transaction of the mutation field (a savepoint inside `connectOrCreate`). */
  readonly tx: Database;
  readonly tables: Tables;
  readonly graph: RelationGraph;
  /** Foreign-key fields: given as `ID`, parsed like keys. */
  readonly foreignKeys: ForeignKeys;
  /** The access rules of the request's viewer. */
  readonly access: RequestAccess;
  /** The rows the field's input creates that are not written yet, which connects wait for. */
  readonly planned: PlannedCreates;
}

export function tableOf(context: WriteContext, model: GraphModel): ModelTable {
  return modelTable(context.tables, model.name);
}
