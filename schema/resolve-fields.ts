/** First phase of the build: models → tables and columns, with the checks that need no relations. */
import type { Problems } from './definition-error.ts';
import type { Field } from './field.ts';
import type { GraphField, GraphModel, GraphPivotRelation, GraphRelation, KeyType } from './graph.ts';
import type { Model } from './model.ts';
import { plural, snakeCase } from './naming.ts';
import { checkSqlName } from './sql-names.ts';

/** A model while the graph is being built; relations and generated keys are added later. */
export interface DraftModel extends GraphModel {
  readonly fields: Map<string, GraphField>;
  readonly relations: Map<string, GraphRelation>;
  readonly manyToMany: Map<string, GraphPivotRelation>;
}

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** Key type of a field kind; fields link only when these are equal. */
function keyTypeOf(kind: Field['kind'], idType?: Field['idType']): KeyType {
  switch (kind) {
    case 'id':
      return idType === 'uuid' ? 'uuid' : idType === 'bigint' ? 'bigint' : 'integer';
    case 'int':
      return 'integer';
    case 'string':
    case 'text':
      return 'text';
    default:
      return kind;
  }
}

function resolveField(modelName: string, table: string, name: string, definition: Field): GraphField {
  const primary = definition.kind === 'id';
  const column = definition.options.column ?? snakeCase(name);
  return {
    model: modelName,
    name,
    column,
    kind: definition.kind,
    idType: definition.idType,
    keyType: keyTypeOf(definition.kind, definition.idType),
    nullable: !primary && definition.options.optional === true,
    unique: primary || definition.options.unique === true,
    primary,
    defaultValue: definition.options.default,
    description: definition.options.description,
    enumValues: definition.values,
    enumType: definition.kind === 'enum' ? `${table}_${column}` : undefined,
    minLength: definition.options.minLength,
    maxLength: definition.options.maxLength,
    generated: false,
  };
}

function checkLengths(label: string, field: GraphField, problems: Problems): void {
  const { minLength: min, maxLength: max } = field;
  if (min === undefined && max === undefined) return;
  const natural = (value: number | undefined) =>
    value === undefined || (Number.isInteger(value) && value >= 0);
  if (field.kind !== 'string' && field.kind !== 'text') {
    problems.add(`Field "${label}": minLength and maxLength apply to string and text fields only.`);
  } else if (!natural(min) || !natural(max) || (min !== undefined && max !== undefined && min > max)) {
    problems.add(
      `Field "${label}": minLength and maxLength must be whole numbers with minLength ≤ maxLength; received ${min} and ${max}.`,
    );
  }
}

function checkEnumValues(label: string, values: readonly string[], problems: Problems): void {
  if (values.length === 0) {
    problems.add(
      `Field "${label}": an enum needs at least one value, e.g. field.enum(['draft', 'published']).`,
    );
  }
  const invalid = values.filter(
    (value) => !GRAPHQL_NAME.test(value) || ['true', 'false', 'null'].includes(value),
  );
  if (invalid.length > 0) {
    const received = invalid.map((value) => JSON.stringify(value)).join(', ');
    problems.add(
      `Field "${label}": enum values must be GraphQL names (letters, digits, _; not true, false or null); received ${received}.`,
    );
  }
}

export function resolveModel(definition: Model, problems: Problems): DraftModel | undefined {
  const { name } = definition;
  if (!GRAPHQL_NAME.test(name)) {
    problems.add(
      `Model "${name}": a model name must be a GraphQL name (letters, digits, _), such as "UserProfile".`,
    );
  }
  const table = definition.table ?? plural(snakeCase(name));
  // A name derived from a name already reported is not reported twice.
  if (definition.table !== undefined || GRAPHQL_NAME.test(name))
    checkSqlName(`Model "${name}"`, 'table', table, problems);
  const fields = new Map<string, GraphField>();
  const byColumn = new Map<string, string>();
  for (const [fieldName, fieldDefinition] of Object.entries(definition.fields)) {
    const resolved = resolveField(name, table, fieldName, fieldDefinition);
    if (!GRAPHQL_NAME.test(fieldName)) {
      problems.add(`Field "${name}.${fieldName}": a field name must be a GraphQL name (letters, digits, _).`);
    }
    if (fieldDefinition.options.column !== undefined || GRAPHQL_NAME.test(fieldName))
      checkSqlName(`Field "${name}.${fieldName}"`, 'column', resolved.column, problems);
    const other = byColumn.get(resolved.column);
    if (other) {
      problems.add(
        `Model "${name}": fields "${other}" and "${fieldName}" both use column "${resolved.column}"; rename one or set its \`column\`.`,
      );
    }
    checkLengths(`${name}.${fieldName}`, resolved, problems);
    if (resolved.kind === 'enum')
      checkEnumValues(`${name}.${fieldName}`, resolved.enumValues ?? [], problems);
    byColumn.set(resolved.column, fieldName);
    fields.set(fieldName, resolved);
  }
  for (const relationName of Object.keys(definition.relations)) {
    if (fields.has(relationName)) {
      problems.add(
        `Model "${name}": relation "${relationName}" has the same name as a field; rename the relation or the field.`,
      );
    }
  }
  const keys = [...fields.values()].filter((field) => field.primary);
  if (keys.length !== 1) {
    const found = keys.length === 0 ? 'none' : keys.map((key) => `"${key.name}"`).join(', ');
    problems.add(`Model "${name}": a model needs exactly one primary key, field.id(); found ${found}.`);
  }
  const primaryKey = keys[0];
  if (!primaryKey) return undefined;
  return {
    name,
    table,
    description: definition.description,
    definition,
    fields,
    primaryKey,
    uniqueFields: [],
    relations: new Map(),
    manyToMany: new Map(),
  };
}

/** Resolves every model's table and fields, reporting duplicate models, tables and columns. */
export function resolveModels(definitions: readonly Model[], problems: Problems): Map<string, DraftModel> {
  const models = new Map<string, DraftModel>();
  const tables = new Map<string, string>();
  const seen = new Map<string, Model>();
  for (const definition of definitions) {
    const previous = seen.get(definition.name);
    if (previous === definition) continue;
    if (previous) {
      problems.add(`Model "${definition.name}" is declared twice; model names must be unique.`);
      continue;
    }
    seen.set(definition.name, definition);
    const draft = resolveModel(definition, problems);
    if (!draft) continue;
    const owner = tables.get(draft.table);
    if (owner) {
      problems.add(
        `Models "${owner}" and "${draft.name}" both use table "${draft.table}"; set \`table\` on one of them.`,
      );
    }
    tables.set(draft.table, draft.name);
    models.set(draft.name, draft);
  }
  return models;
}
