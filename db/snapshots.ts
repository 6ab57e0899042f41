/** Drizzle-kit snapshots of the derived tables: what migrations and `push` diff against. */
import type { Tables } from './tables.ts';

type Kit = typeof import('drizzle-kit/api');
export type Snapshot = ReturnType<Kit['generateDrizzleJson']>;

// drizzle-kit takes about 200 ms to import; only generating and pushing need it.
let kit: Promise<Kit> | undefined;
const loadKit = () => {
  kit ??= import('drizzle-kit/api');
  return kit;
};

/** The snapshot of the tables derived from the models (`prevId` chains it to the previous one). */
export async function snapshotOf(tables: Tables | undefined, prevId?: string): Promise<Snapshot> {
  return (await loadKit()).generateDrizzleJson(tables?.exports ?? {}, prevId);
}

/**
 * The SQL that turns `previous` into `current`. A table or column that disappears while another
 * appears could be a rename, which only a person can decide: that is refused with a clear message.
 */
export async function diffSnapshots(
  previous: Snapshot,
  current: Snapshot,
  whatToDo: string,
): Promise<string[]> {
  const ambiguous = renameCandidates(previous, current);
  if (ambiguous.length > 0) {
    throw new Error(`relgraph cannot tell whether ${ambiguous.join('; ')} ${whatToDo}`);
  }
  return (await loadKit()).generateMigration(previous, current);
}

function renameCandidates(previous: Snapshot, current: Snapshot): string[] {
  const found: string[] = [];
  const removed = (a: object, b: object) => Object.keys(a).filter((key) => !(key in b));
  const goneTables = removed(previous.tables, current.tables);
  const newTables = removed(current.tables, previous.tables);
  if (goneTables.length > 0 && newTables.length > 0) {
    found.push(`table ${goneTables.join(', ')} was renamed to ${newTables.join(', ')} or replaced`);
  }
  type TableSnapshot = { columns: object };
  for (const [name, table] of Object.entries(current.tables as Record<string, TableSnapshot>)) {
    const before = (previous.tables as Record<string, TableSnapshot | undefined>)[name];
    if (!before) continue;
    const gone = removed(before.columns, table.columns);
    const added = removed(table.columns, before.columns);
    if (gone.length > 0 && added.length > 0) {
      found.push(`column ${gone.join(', ')} of ${name} was renamed to ${added.join(', ')} or replaced`);
    }
  }
  return found;
}
