/** The Drizzle column builder of a graph field: type, nullability, default, identity. */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  doublePrecision,
  integer,
  jsonb,
  numeric,
  type PgColumnBuilderBase,
  type PgEnum,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type { GraphField } from '../schema/graph.ts';

type Builder = PgColumnBuilderBase & {
  notNull(): Builder;
  default(value: unknown): Builder;
  primaryKey(): Builder;
};

function primaryKeyColumn(field: GraphField): Builder {
  const { column } = field;
  if (field.idType === 'uuid') return uuid(column).primaryKey().defaultRandom() as unknown as Builder;
  const identity = field.idType === 'bigint' ? bigint(column, { mode: 'bigint' }) : integer(column);
  return identity.primaryKey().generatedByDefaultAsIdentity() as unknown as Builder;
}

function baseColumn(field: GraphField, enumType: PgEnum<[string, ...string[]]> | undefined): Builder {
  const { column } = field;
  const builders: Record<Exclude<GraphField['kind'], 'id'>, () => unknown> = {
    string: () => text(column),
    text: () => text(column),
    int: () => integer(column),
    bigint: () => bigint(column, { mode: 'bigint' }),
    float: () => doublePrecision(column),
    decimal: () => numeric(column),
    boolean: () => boolean(column),
    datetime: () => timestamp(column, { withTimezone: true, mode: 'date' }),
    date: () => date(column, { mode: 'string' }),
    json: () => jsonb(column),
    uuid: () => uuid(column),
    enum: () => enumType?.(column),
  };
  return builders[field.kind as Exclude<GraphField['kind'], 'id'>]() as Builder;
}

/** `'now'` on a datetime or date field is the database's current time, not a literal. */
function withDefault(builder: Builder, field: GraphField): Builder {
  const value = field.defaultValue;
  if (value === undefined) return builder;
  if (value === 'now' && field.kind === 'datetime') return builder.default(sql`now()`);
  if (value === 'now' && field.kind === 'date') return builder.default(sql`current_date`);
  return builder.default(value);
}

/** Builds the column of `field`; foreign-key references and indexes are added by the table. */
export function buildColumn(field: GraphField, enumType?: PgEnum<[string, ...string[]]>): Builder {
  if (field.primary) return primaryKeyColumn(field);
  const column = withDefault(baseColumn(field, enumType), field);
  return field.nullable ? column : column.notNull();
}

export type { Builder as ColumnBuilder };
