/** What `relgraph pull` writes, before it is source text: models, their fields and relations, and notes. */
import type { FieldKind, IdType } from '../../schema/field.ts';
import type { RelationKind } from '../../schema/relation.ts';

/** Option values as the writer prints them: strings, numbers, booleans, bigints, JSON. */
export type OptionValue = string | number | boolean | bigint | null | OptionValue[] | OptionObject;
export interface OptionObject {
  readonly [key: string]: OptionValue;
}

/** `name: field.<kind>(values?, options)`. */
export interface FieldPlan {
  readonly name: string;
  readonly kind: FieldKind;
  readonly idType?: IdType | undefined;
  readonly values?: readonly string[] | undefined;
  readonly options: OptionObject;
}

/** `name: <kind>((): Model => Target, options)`. */
export interface RelationPlan {
  readonly name: string;
  readonly kind: RelationKind;
  readonly target: string;
  readonly options: OptionObject;
}

export interface ModelPlan {
  readonly name: string;
  readonly table: string;
  /** The file of the model, relative to the output folder (`blog-post.ts`). */
  readonly file: string;
  readonly fields: FieldPlan[];
  readonly relations: RelationPlan[];
  /** What the database has that the model does not say, each naming the table and column. */
  readonly notes: string[];
}

export interface PullPlan {
  /** Sorted by table name. */
  readonly models: readonly ModelPlan[];
  /** Tables that could not become models, and why. */
  readonly notes: readonly string[];
}

/** A name as PostgreSQL quotes it: `"name"`, a `"` inside doubled. */
export const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** `"table"."column"` (`"table"."a", "b"` for several, `"table"` for none): how every note names a column. */
export const columnLabel = (table: string, ...columns: readonly string[]) =>
  columns.length === 0 ? quoted(table) : `${quoted(table)}.${columns.map(quoted).join(', ')}`;
