/** Field builders: `field.string()`, `field.id({ type: 'uuid' })`, `field.enum(['a', 'b'])`, … */

/** The kinds of field `field.*` builds; each maps to one column type and one GraphQL type. */
export type FieldKind =
  | 'id'
  | 'string'
  | 'text'
  | 'int'
  | 'bigint'
  | 'float'
  | 'decimal'
  | 'boolean'
  | 'datetime'
  | 'date'
  | 'json'
  | 'uuid'
  | 'enum';

/** Primary-key types: `int` (identity, the default), `bigint` (identity) or `uuid` (random). */
export type IdType = 'int' | 'bigint' | 'uuid';

/** A value a `json` field stores (a `jsonb` column). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface FieldOptions<TValue = unknown, TOptional extends boolean = boolean> {
  /** Nullable column and nullable GraphQL field. Default `false`. */
  optional?: TOptional;
  /** A UNIQUE index on the column, and a `Query.<model>By<Field>` lookup. Default `false`. */
  unique?: boolean;
  /** Column default; `'now'` for `datetime` and `date` means the current time or day. */
  default?: TValue | (TValue extends Date | string ? 'now' : never);
  /** Column name in the database (for existing tables). Default: the field name in snake_case. */
  column?: string;
  /** Shown in the GraphQL schema and GraphiQL's docs explorer. */
  description?: string;
}

export interface StringFieldOptions<TOptional extends boolean = boolean>
  extends FieldOptions<string, TOptional> {
  /** Fewest characters a write may store (`1` forbids the empty string). Checked on every write. */
  minLength?: number;
  /** Most characters a write may store. Checked on every write. */
  maxLength?: number;
}

/** A declared field. `TValue` is the row value type; `TOptional` whether it may be null. */
export interface Field<
  TKind extends FieldKind = FieldKind,
  TValue = unknown,
  TOptional extends boolean = boolean,
> {
  readonly kind: TKind;
  readonly options: FieldOptions<TValue, TOptional> & { minLength?: number; maxLength?: number };
  /** Only on `id` fields. */
  readonly idType?: IdType;
  /** Only on `enum` fields. */
  readonly values?: readonly string[];
  /** Type-only marker carrying the row value type; never set at run time. */
  readonly __value?: TValue;
}

type IdValue<T extends IdType> = T extends 'uuid' ? string : T extends 'bigint' ? bigint : number;

function make<TKind extends FieldKind, TValue>(kind: TKind) {
  return <const TOptional extends boolean = false>(
    options: FieldOptions<TValue, TOptional> = {},
  ): Field<TKind, TValue, TOptional> => ({ kind, options });
}

export const field = {
  /** The primary key: `int` identity by default, or `{ type: 'bigint' | 'uuid' }`. */
  id<const T extends IdType = 'int'>(
    options: { type?: T; column?: string; description?: string } = {},
  ): Field<'id', IdValue<T>, false> {
    const { type = 'int', ...rest } = options;
    return { kind: 'id', idType: type, options: rest };
  },
  /** Short text (PostgreSQL `text`, GraphQL `String`); `minLength`/`maxLength` limit writes. */
  string: <const TOptional extends boolean = false>(
    options: StringFieldOptions<TOptional> = {},
  ): Field<'string', string, TOptional> => ({ kind: 'string', options }),
  /** Long text (PostgreSQL `text`, GraphQL `String`); `minLength`/`maxLength` limit writes. */
  text: <const TOptional extends boolean = false>(
    options: StringFieldOptions<TOptional> = {},
  ): Field<'text', string, TOptional> => ({ kind: 'text', options }),
  /** 32-bit integer. */
  int: make<'int', number>('int'),
  /** 64-bit integer, a JavaScript `bigint`, a string-encoded `BigInt` in GraphQL. */
  bigint: make<'bigint', bigint>('bigint'),
  /** Double precision. */
  float: make<'float', number>('float'),
  /** Exact `numeric`, kept as a string so no precision is lost. */
  decimal: make<'decimal', string>('decimal'),
  boolean: make<'boolean', boolean>('boolean'),
  /** `timestamp with time zone`, a `Date`, an ISO-8601 `DateTime` in GraphQL. */
  datetime: make<'datetime', Date>('datetime'),
  /** Calendar day `YYYY-MM-DD`. */
  date: make<'date', string>('date'),
  /** `jsonb`. */
  json: make<'json', JsonValue>('json'),
  /** A uuid value that is not the primary key (for example a foreign key to a uuid key). */
  uuid: make<'uuid', string>('uuid'),
  /** One of the given values: a PostgreSQL enum type and a GraphQL enum. */
  enum<const V extends string, const TOptional extends boolean = false>(
    values: readonly V[],
    options: FieldOptions<V, TOptional> = {},
  ): Field<'enum', V, TOptional> {
    return { kind: 'enum', values, options };
  },
};
