/** `model(name, { fields, relations })`: the declaration everything else is derived from. */
import type { AccessRules } from './access-rules.ts';
import type { Field } from './field.ts';
import type { ManyToMany } from './many-to-many.ts';
import type { Relation } from './relation.ts';

/** A model's fields by name, as `model(name, { fields })` takes them. */
export type Fields = Record<string, Field>;
/** A model's relations by name, as `model(name, { relations })` takes them. */
export type Relations = Record<string, Relation | ManyToMany>;

/** What `model(name, config)` takes: the table, fields, relations and access rules. */
export interface ModelConfig<F extends Fields, R extends Relations> {
  /** Table name. Default: the snake_case plural of the model name (`User` → `users`). */
  table?: string;
  /** Shown in the GraphQL schema. */
  description?: string;
  fields: F;
  relations?: R;
  /** Who may read and write which rows and fields. Default: everyone, everything. */
  access?: AccessRules<keyof F & string, keyof BelongsToKeys<R> & string>;
}

/** A declared model. Pass models to `createServer({ models })` or `buildRelationGraph(models)`. */
export interface Model<
  N extends string = string,
  F extends Fields = Fields,
  R extends Relations = Relations,
> {
  readonly name: N;
  readonly table: string | undefined;
  readonly description: string | undefined;
  readonly fields: F;
  readonly relations: R;
  readonly access: AccessRules | undefined;
}

/** Declares a model; nothing is checked until the models are built into a relation graph together. */
export function model<
  const N extends string,
  const F extends Fields,
  const R extends Relations = Record<never, never>,
>(name: N, config: ModelConfig<F, R>): Model<N, F, R> {
  return {
    name,
    table: config.table,
    description: config.description,
    fields: config.fields,
    relations: config.relations ?? ({} as R),
    access: config.access,
  };
}

// `[O] extends [true]`: a field declared without `optional` infers O as `boolean`, which must not
// distribute into `V | null`.
type FieldValue<T> =
  T extends Field<infer _K, infer V, infer O> ? ([O] extends [true] ? V | null : V) : never;

/** Value of a foreign key that relgraph creates: the key type of the row it points at. */
export type KeyValue = number | bigint | string;

type BelongsToKeys<R extends Relations> = {
  [K in keyof R as R[K] extends Relation<'belongsTo', infer O>
    ? O['foreignKey'] extends string
      ? O['foreignKey']
      : `${K & string}Id`
    : never]: R[K] extends Relation<'belongsTo', infer O>
    ? O['optional'] extends true
      ? KeyValue | null
      : KeyValue
    : never;
};

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/**
 * The row type of a model, the way Drizzle infers a row from a table: declared fields plus the
 * foreign keys of its `belongsTo` relations (a declared key field keeps its declared type).
 */
export type Row<M extends Model> = Simplify<
  { [K in keyof M['fields']]: FieldValue<M['fields'][K]> } & Omit<
    BelongsToKeys<M['relations']>,
    keyof M['fields']
  >
>;
