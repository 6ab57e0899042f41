/**
 * Reads one PostgreSQL schema from the catalog (`pg_catalog`): tables, columns, primary keys, unique
 * constraints and indexes, foreign keys and enum types — what `relgraph pull` turns into models.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';

export interface CatalogColumn {
  readonly name: string;
  /** `format_type`: `integer`, `character varying(40)`, `timestamp with time zone`, an enum's name … */
  readonly type: string;
  /** `pg_type.typname`: `int4`, `varchar`, `timestamptz`, an enum's name … */
  readonly typeName: string;
  readonly isEnum: boolean;
  readonly nullable: boolean;
  /** The default expression as PostgreSQL prints it (`now()`, `'draft'::post_status`), if any. */
  readonly default: string | undefined;
  /** `'a'` generated always or `'d'` by default as identity; `''` not an identity column. */
  readonly identity: string;
  /** A generated (computed) column, which relgraph cannot declare. */
  readonly generated: boolean;
}

export interface CatalogKey {
  readonly name: string;
  readonly columns: readonly string[];
  /** A unique index that is not a constraint (`CREATE UNIQUE INDEX`). */
  readonly index: boolean;
}

export type ForeignKeyAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

export interface CatalogForeignKey {
  readonly name: string;
  readonly columns: readonly string[];
  readonly referencedTable: string;
  readonly referencedColumns: readonly string[];
  readonly onDelete: ForeignKeyAction;
}

export interface CatalogTable {
  readonly name: string;
  readonly columns: readonly CatalogColumn[];
  readonly primaryKey: CatalogKey | undefined;
  /** Unique constraints and unique indexes (without a predicate or an expression), by name. */
  readonly uniques: readonly CatalogKey[];
  readonly foreignKeys: readonly CatalogForeignKey[];
  /** The other indexes, by name with their columns: relgraph makes one per non-unique foreign key. */
  readonly indexes: readonly CatalogKey[];
}

export interface CatalogSchema {
  readonly schema: string;
  /** Sorted by name, so a pull of an unchanged database writes the same files. */
  readonly tables: readonly CatalogTable[];
  /** Enum types of the schema: name → labels in their declared order. */
  readonly enums: ReadonlyMap<string, readonly string[]>;
}

const ACTIONS: Record<string, ForeignKeyAction> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

/** Both drivers answer `execute` with `{ rows }`. */
async function rowsOf<T>(db: Database, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** The column names of a key (`int2vector` of attribute numbers), in key order, as `text[]`. */
const keyColumns = (keys: SQL, table: SQL) => sql`array(
  select a.attname::text from unnest(${keys}) with ordinality as key_column(attnum, position)
  join pg_attribute a on a.attrelid = ${table} and a.attnum = key_column.attnum order by key_column.position)`;

interface ColumnRow {
  table_name: string;
  name: string;
  type: string;
  type_name: string;
  is_enum: boolean;
  not_null: boolean;
  default_value: string | null;
  identity: string;
  generated: string;
}

interface ConstraintRow {
  table_name: string;
  name: string;
  kind: string;
  columns: string[];
  referenced_table: string | null;
  referenced_columns: string[] | null;
  on_delete: string | null;
}

interface IndexRow {
  table_name: string;
  name: string;
  is_unique: boolean;
  columns: string[];
  plain: boolean;
}

/** Reads every table of `schema` (default `public`); views, partitions and system tables are not read. */
export async function introspectSchema(db: Database, schema = 'public'): Promise<CatalogSchema> {
  const tables = await rowsOf<{ name: string }>(
    db,
    sql`select c.relname::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = ${schema} and c.relkind in ('r', 'p') and not c.relispartition order by 1`,
  );
  const columns = await rowsOf<ColumnRow>(
    db,
    sql`select c.relname::text as table_name, a.attname::text as name,
          format_type(a.atttypid, a.atttypmod) as type, t.typname::text as type_name,
          t.typtype = 'e' as is_enum, a.attnotnull as not_null,
          pg_get_expr(d.adbin, d.adrelid) as default_value, a.attidentity::text as identity,
          a.attgenerated::text as generated
        from pg_attribute a
        join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
        join pg_type t on t.oid = a.atttypid
        left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
        where n.nspname = ${schema} and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
        order by c.relname, a.attnum`,
  );
  const constraints = await rowsOf<ConstraintRow>(
    db,
    sql`select c.relname::text as table_name, k.conname::text as name, k.contype::text as kind,
          ${keyColumns(sql`k.conkey`, sql`k.conrelid`)} as columns,
          -- A table of another schema keeps its schema's name, so it is never taken for a table of this one.
          case when r.oid is null then null when r.relnamespace = c.relnamespace then r.relname::text
            else format('%I.%I', rn.nspname, r.relname) end as referenced_table,
          case when k.contype = 'f' then ${keyColumns(sql`k.confkey`, sql`k.confrelid`)} end as referenced_columns,
          case when k.contype = 'f' then k.confdeltype::text end as on_delete
        from pg_constraint k
        join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
        left join pg_class r on r.oid = k.confrelid left join pg_namespace rn on rn.oid = r.relnamespace
        where n.nspname = ${schema} and k.contype in ('p', 'u', 'f')
        order by c.relname, k.conname`,
  );
  const indexes = await rowsOf<IndexRow>(
    db,
    sql`select c.relname::text as table_name, x.relname::text as name, i.indisunique as is_unique,
          ${keyColumns(sql`i.indkey`, sql`i.indrelid`)} as columns,
          i.indpred is null and i.indexprs is null as plain
        from pg_index i
        join pg_class x on x.oid = i.indexrelid join pg_class c on c.oid = i.indrelid
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = ${schema} and not i.indisprimary
          and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
        order by c.relname, x.relname`,
  );
  const enums = await rowsOf<{ name: string; labels: string[] }>(
    db,
    sql`select t.typname::text as name, array_agg(e.enumlabel::text order by e.enumsortorder) as labels
        from pg_type t join pg_namespace n on n.oid = t.typnamespace join pg_enum e on e.enumtypid = t.oid
        where n.nspname = ${schema} group by t.typname order by 1`,
  );
  return {
    schema,
    tables: tables.map(({ name }) => tableOf(name, columns, constraints, indexes)),
    enums: new Map(enums.map(({ name, labels }) => [name, labels])),
  };
}

function tableOf(
  name: string,
  columns: readonly ColumnRow[],
  constraints: readonly ConstraintRow[],
  indexes: readonly IndexRow[],
): CatalogTable {
  const own = constraints.filter((row) => row.table_name === name);
  const ownIndexes = indexes.filter((row) => row.table_name === name);
  const key = (row: { name: string; columns: string[] }, index: boolean): CatalogKey => ({
    name: row.name,
    columns: row.columns,
    index,
  });
  const primary = own.find((row) => row.kind === 'p');
  return {
    name,
    columns: columns
      .filter((row) => row.table_name === name)
      .map((row) => ({
        name: row.name,
        type: row.type,
        typeName: row.type_name,
        isEnum: row.is_enum,
        nullable: !row.not_null,
        default: row.default_value ?? undefined,
        identity: row.identity,
        generated: row.generated !== '',
      })),
    primaryKey: primary && key(primary, false),
    uniques: [
      ...own.filter((row) => row.kind === 'u').map((row) => key(row, false)),
      ...ownIndexes.filter((row) => row.is_unique && row.plain).map((row) => key(row, true)),
    ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    foreignKeys: own
      .filter((row) => row.kind === 'f')
      .map((row) => ({
        name: row.name,
        columns: row.columns,
        referencedTable: row.referenced_table ?? '',
        referencedColumns: row.referenced_columns ?? [],
        onDelete: ACTIONS[row.on_delete ?? 'a'] ?? 'no action',
      })),
    indexes: ownIndexes.filter((row) => !row.is_unique || !row.plain).map((row) => key(row, false)),
  };
}
