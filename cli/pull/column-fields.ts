/**
 * One column → one relgraph field: its kind from the PostgreSQL type, `optional`, `unique`, `default`
 * and `column`. What the field cannot say (a narrower type, a default relgraph does not know) is a note.
 */
import type { FieldKind } from '../../schema/field.ts';
import type { CatalogColumn, CatalogTable } from './introspect.ts';
import { columnLabel, type FieldPlan, type OptionObject, type OptionValue } from './model-plan.ts';
import { conventionalColumn, fieldNameOf, usableName } from './names.ts';

/** Types relgraph declares exactly, and types it reads into a kind of another (wider) type. */
const EXACT: Record<string, FieldKind> = {
  int4: 'int',
  int8: 'bigint',
  text: 'string',
  float8: 'float',
  numeric: 'decimal',
  bool: 'boolean',
  timestamptz: 'datetime',
  date: 'date',
  jsonb: 'json',
  uuid: 'uuid',
};
const WIDENED: Record<string, FieldKind> = {
  int2: 'int',
  varchar: 'string',
  bpchar: 'string',
  float4: 'float',
  timestamp: 'datetime',
  json: 'json',
};
/** What relgraph creates for each kind, for notes on a column whose type it would change. */
const CREATED: Partial<Record<FieldKind, string>> = {
  int: 'integer',
  string: 'text',
  float: 'double precision',
  datetime: 'timestamp with time zone',
  json: 'jsonb',
  decimal: 'numeric',
};

/** What relgraph accepts as an enum value (schema/resolve-fields.ts): a GraphQL name, not a literal. */
const ENUM_VALUE = /^[_A-Za-z][_0-9A-Za-z]*$/;
const RESERVED = ['true', 'false', 'null'];

/** The expression relgraph writes for `default: 'now'` (db/columns.ts). */
const NOW: Partial<Record<FieldKind, string>> = { datetime: 'now()', date: 'current_date' };

export interface ColumnField {
  readonly field: FieldPlan | undefined;
  readonly notes: readonly string[];
}

/** The kind of a column's type, or `undefined` for a type relgraph does not know. */
export function kindOf(column: CatalogColumn): FieldKind | undefined {
  if (column.isEnum) return 'enum';
  return EXACT[column.typeName] ?? WIDENED[column.typeName];
}

const literal = /^'((?:[^']|'')*)'(?:::[\w ."]+)?$/;
const number = /^\(?(-?\d+(?:\.\d+)?)\)?(?:::[\w ]+)?$/;

/** The value of a default expression as relgraph declares it, or `undefined` when it has none for it. */
export function defaultOf(kind: FieldKind, expression: string): OptionValue | undefined {
  const text = literal.exec(expression)?.[1]?.replace(/''/g, "'");
  const numeric = number.exec(expression)?.[1] ?? (text !== undefined && number.exec(text)?.[1]);
  switch (kind) {
    case 'datetime':
      return /^(now\(\)|CURRENT_TIMESTAMP)$/i.test(expression) ? 'now' : undefined;
    case 'date':
      return /^CURRENT_DATE$/i.test(expression) ? 'now' : text;
    case 'int':
    case 'float':
      return numeric ? Number(numeric) : undefined;
    case 'bigint':
      // A bigint default makes drizzle-kit's snapshot fail ("Do not know how to serialize a BigInt").
      return undefined;
    case 'decimal':
      return numeric || undefined;
    case 'boolean':
      return expression === 'true' ? true : expression === 'false' ? false : undefined;
    case 'json':
      return text === undefined ? undefined : (JSON.parse(text) as OptionValue);
    default:
      return text;
  }
}

/** The note on a column whose type relgraph declares differently. */
function typeNote(table: CatalogTable, column: CatalogColumn, kind: FieldKind): string | undefined {
  const label = columnLabel(table.name, column.name);
  if (kind === 'enum') {
    const expected = `${table.name}_${column.name}`;
    return column.typeName === expected
      ? undefined
      : `${label}: enum type "${column.typeName}"; relgraph names the type of this field "${expected}", so a migration would create that type.`;
  }
  if (EXACT[column.typeName] === kind && !/\(/.test(column.type)) return undefined;
  return `${label}: type ${column.type}; relgraph declares ${CREATED[kind] ?? kind}, so a migration would change the column's type.`;
}

/** The field of a column that is neither the primary key nor a foreign key relgraph creates. */
export function columnField(
  table: CatalogTable,
  column: CatalogColumn,
  enums: ReadonlyMap<string, readonly string[]>,
  unique: boolean,
): ColumnField {
  const label = columnLabel(table.name, column.name);
  const values = column.isEnum ? enums.get(column.typeName) : undefined;
  // An enum type of another schema is not read: its values are unknown.
  const kind = column.isEnum && !values ? undefined : kindOf(column);
  if (!kind || column.generated || !usableName(column.name)) {
    const what = !usableName(column.name)
      ? 'a name with a " or a control character'
      : column.generated
        ? `a generated column (${column.type})`
        : `type ${column.type}`;
    const required =
      column.nullable || column.default !== undefined
        ? ''
        : ' It is NOT NULL without a default, so creating rows through relgraph fails.';
    return {
      field: undefined,
      notes: [
        `${label}: ${what}, which relgraph cannot declare; the column is left out of the model.${required}`,
      ],
    };
  }
  const notes: string[] = [];
  const invalid = (values ?? []).filter((value) => !ENUM_VALUE.test(value) || RESERVED.includes(value));
  if (invalid.length > 0) {
    const received = invalid.map((value) => JSON.stringify(value)).join(', ');
    notes.push(
      `${label}: enum type "${column.typeName}" has values that are not GraphQL names (${received}); the field is a string, so a migration would change the column's type to text.`,
    );
  }
  const kindDeclared = invalid.length > 0 ? 'string' : kind;
  const note = invalid.length > 0 ? undefined : typeNote(table, column, kind);
  if (note) notes.push(note);
  const name = fieldNameOf(column.name);
  const options: Record<string, OptionValue> = {};
  if (column.nullable) options.optional = true;
  if (unique) options.unique = true;
  if (column.default !== undefined) {
    const value = defaultOf(kindDeclared, column.default);
    if (value === undefined) {
      notes.push(
        `${label}: default ${column.default}, which relgraph cannot declare; a migration would drop it.`,
      );
    } else {
      options.default = value;
      const written = value === 'now' ? NOW[kind] : undefined;
      if (written && written !== column.default)
        notes.push(
          `${label}: default ${column.default}; relgraph declares ${written}, the same value written differently, which drizzle-kit's push reports as a change.`,
        );
    }
  }
  if (conventionalColumn(name) !== column.name) options.column = column.name;
  const enumValues = kindDeclared === 'enum' ? values : undefined;
  return { field: { name, kind: kindDeclared, values: enumValues, options: options as OptionObject }, notes };
}
