/** The one statement behind every relation: rows of a table whose column equals any of a batch of keys. */
import { and, sql } from 'drizzle-orm';
import type { RequestAccess } from '../access/request-access.ts';
import { planUnderRules, visibleSelection } from '../access/statement-rules.ts';
import type { Database } from '../db/client.ts';
import { arrayCastOf, keyOf } from '../db/keys.ts';
import { prepareRows, type Row } from '../db/prepared-rows.ts';
import { cachedStatement, type PreparedStatement } from '../db/statement-cache.ts';
import type { ModelTable } from '../db/tables.ts';
import { Aliases } from '../query/scope.ts';
import { type ModelSelection, pickColumns } from '../query/selected-fields.ts';
import type { GraphField } from '../schema/graph.ts';

/** Takes the batch of keys, and the values of the viewer's rules where the model has some. */
type LoadStatement = PreparedStatement<Row[], { keys: readonly string[]; [rule: string]: unknown }>;

function buildLoadStatement(
  db: Database,
  table: ModelTable,
  field: GraphField,
  aliases: Aliases | undefined,
  wanted: ModelSelection | undefined,
): LoadStatement {
  const column = table.columns[field.name];
  if (!column) throw new Error(`relgraph: model "${field.model}" has no column for field "${field.name}"`);
  const scope = aliases?.root(table);
  const visible = scope && aliases ? visibleSelection(table, scope, aliases) : table.columns;
  const selection = pickColumns(visible, table.model, wanted, [field]);
  const keys = sql`${column} = any(${sql.placeholder('keys')}::${sql.raw(arrayCastOf(field))})`;
  const readable = scope && aliases?.rules?.rowCondition(table.model, scope, aliases);
  const query = db
    .select(selection)
    .from(table.table)
    .where(readable ? and(keys, readable) : keys);
  // Rows of a unique field are matched by key alone; groups of the others come in primary-key order.
  const unique = table.model.uniqueFields.includes(field);
  const ordered = unique ? query : query.orderBy(table.columns[table.model.primaryKey.name] ?? column);
  return prepareRows(db, ordered, selection, `relgraph_load_${table.model.table}_${field.column}`);
}

function loadStatement(
  db: Database,
  table: ModelTable,
  field: GraphField,
  wanted: ModelSelection | undefined,
): LoadStatement {
  return cachedStatement(db, field, `load:${wanted?.key ?? '*'}`, () =>
    buildLoadStatement(db, table, field, undefined, wanted),
  );
}

/**
 * `SELECT … WHERE column = ANY($1)` with the keys as one array parameter: one statement for any number of
 * keys (an `IN ($1, …, $n)` list stops at 65,535), matched back to the keys through a `Map` in one pass.
 * With `wanted`, only those fields (and the keys) are selected.
 */
export async function loadRowsByKeys(
  db: Database,
  table: ModelTable,
  field: GraphField,
  keys: readonly string[],
  access?: RequestAccess,
  wanted?: ModelSelection,
): Promise<Map<string, Row[]>> {
  // Where the viewer may read every row and field (no rules, or rules that let it), the statement
  // is the one a model without rules runs.
  const restricted = access !== undefined && access.restriction(table.model) !== undefined;
  const rows = restricted
    ? await loadReadable(db, table, field, keys, access, wanted)
    : await loadStatement(db, table, field, wanted).execute({ keys });
  const byKey = new Map<string, Row[]>();
  for (const row of rows) {
    const key = keyOf(row[field.name]);
    if (key === null) continue;
    const group = byKey.get(key);
    if (group) group.push(row);
    else byKey.set(key, [row]);
  }
  return byKey;
}

/** The load statement of a model with rules: only rows the viewer may read, hidden fields null. */
function loadReadable(
  db: Database,
  table: ModelTable,
  field: GraphField,
  keys: readonly string[],
  access: RequestAccess,
  wanted: ModelSelection | undefined,
): Promise<Row[]> {
  const key = `load under rules:${wanted?.key ?? '*'}`;
  const { plan, values } = planUnderRules(db, access, field, key, (rules) =>
    buildLoadStatement(db, table, field, new Aliases(access.tables, rules), wanted),
  );
  return plan.execute({ ...values, keys });
}
