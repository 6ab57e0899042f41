/**
 * `<Model>Where` compiled to one SQL condition: field operators with every value bound as a
 * parameter, `and`/`or`/`not`, and relation filters as `EXISTS` subqueries — nothing filtered in JavaScript.
 */

import { and, not, or, type SQL, sql } from 'drizzle-orm';
import { comparableValue } from '../db/field-values.ts';
import { arrayCastOf, hasNul, NUL_TEXT, sqlTypeOf } from '../db/keys.ts';
import { inputError } from '../errors.ts';
import type { ForeignKeys, GraphField, GraphPivotRelation, GraphRelation } from '../schema/graph.ts';
import type { Aliases, Scope } from './scope.ts';

type Where = Record<string, unknown>;

/** `%`, `_` and `\` taken literally inside a LIKE pattern (with `escape '\'`). */
const literalPattern = (text: string) => text.replace(/[\\%_]/g, (match) => `\\${match}`);

/** A value no row's column can equal: the client's mistake, or, in a rule's filter, no match. */
class Unusable extends Error {
  /** Where in the operator's value, for a list item: `[2]`. */
  constructor(
    message: string,
    readonly item = '',
  ) {
    super(message);
  }
}

/** The value as the column stores it (keys parsed and canonical, JSON as text), or `Unusable`. */
function bindable(field: GraphField, value: unknown, asKey: boolean, item = ''): unknown {
  const comparable = comparableValue(field, value, asKey);
  if ('error' in comparable) throw new Unusable(comparable.error, item);
  return comparable.value;
}

/** Text to match against: a string without NUL (which PostgreSQL text cannot hold). */
function text(value: unknown): string {
  if (typeof value !== 'string')
    throw new Unusable(`a pattern is text, but received ${JSON.stringify(value)}.`);
  if (hasNul(value)) throw new Unusable(NUL_TEXT);
  return value;
}

/** A LIKE pattern PostgreSQL accepts: it may not end in the escape character `\`. */
function pattern(value: unknown): string {
  const trailing = /\\*$/.exec(text(value))?.[0].length ?? 0;
  if (trailing % 2 === 1)
    throw new Unusable(
      'a LIKE pattern cannot end with the escape character "\\"; write "\\\\" for a literal backslash.',
    );
  return text(value);
}

function fieldCondition(
  aliases: Aliases,
  scope: Scope,
  field: GraphField,
  filter: Where,
  keys: ForeignKeys,
  path: string,
): SQL[] {
  const column = scope.value(field);
  const { bind, ruleFilter } = aliases;
  const asKey = field.primary || keys.has(field);
  /** `$1::type`: one value. */
  const one = (value: unknown) => sql`${bind(bindable(field, value, asKey))}::${sql.raw(sqlTypeOf(field))}`;
  /**
   * `$1::type[]`: a whole list as one array parameter, however long. In a rule's filter an item no row
   * can equal is left out of `in` (it matches nothing); anywhere else it is refused.
   */
  const list = (values: unknown, keep: 'usable' | 'all') => {
    if (!Array.isArray(values))
      throw new Unusable(`a list is expected, but received ${JSON.stringify(values)}.`);
    const usable =
      keep === 'usable'
        ? values.filter((value) => !('error' in comparableValue(field, value, asKey)))
        : values;
    const bound = usable.map((value, i) => bindable(field, value, asKey, `[${i}]`));
    return sql`${bind(bound)}::${sql.raw(arrayCastOf(field))}`;
  };
  const conditions: SQL[] = [];
  for (const [operator, value] of Object.entries(filter)) {
    const at = `${path}.${operator}`;
    if (operator === 'isNull') {
      if (value !== null && value !== undefined)
        conditions.push(value ? sql`${column} is null` : sql`${column} is not null`);
      continue;
    }
    // In a rule a missing value (a claim the token lacks) compares with nothing, so it matches no row.
    if (value === undefined && !ruleFilter) continue;
    const conditionOf: Record<string, () => SQL> = {
      eq: () => sql`${column} = ${one(value)}`,
      ne: () => sql`${column} is distinct from ${one(value)}`,
      lt: () => sql`${column} < ${one(value)}`,
      lte: () => sql`${column} <= ${one(value)}`,
      gt: () => sql`${column} > ${one(value)}`,
      gte: () => sql`${column} >= ${one(value)}`,
      in: () => sql`${column} = any(${list(value, ruleFilter ? 'usable' : 'all')})`,
      // Like `ne`, rows without a value are not in the list.
      notIn: () => sql`(${column} is null or ${column} <> all(${list(value, 'all')}))`,
      like: () => sql`${column} like ${bind(pattern(value))}`,
      ilike: () => sql`${column} ilike ${bind(pattern(value))}`,
      startsWith: () => sql`${column} like ${bind(`${literalPattern(text(value))}%`)} escape '\\'`,
      contains: () => sql`${column} like ${bind(`%${literalPattern(text(value))}%`)} escape '\\'`,
    };
    const build = conditionOf[operator];
    if (!build) throw inputError(at, `unknown operator "${operator}".`);
    try {
      conditions.push(build());
    } catch (error) {
      if (!(error instanceof Unusable)) throw error;
      // A rule compared a field with a value it cannot hold (a viewer id that is not an integer, say):
      // no row matches, whatever the operator, so a rule never fails open and never fails the request.
      if (ruleFilter) conditions.push(sql`false`);
      else throw inputError(`${at}${error.item}`, error.message);
    }
  }
  return conditions;
}

/** Compiles `where` for rows of `scope`; `undefined` when it sets no condition. */
export function compileWhere(
  aliases: Aliases,
  scope: Scope,
  where: Where | null | undefined,
  keys: ForeignKeys,
  path: string,
): SQL | undefined {
  if (!where) return undefined;
  const conditions: SQL[] = [];
  const nested = (value: unknown, at: string) => compileWhere(aliases, scope, value as Where, keys, at);
  for (const [name, value] of Object.entries(where)) {
    if (value === undefined || value === null) continue;
    const at = `${path}.${name}`;
    const field = scope.model.fields.get(name);
    if (field) {
      conditions.push(...fieldCondition(aliases, scope, field, value as Where, keys, at));
    } else if (name === 'and' || name === 'or') {
      const parts = (value as Where[]).map((item, i) => nested(item, `${at}[${i}]`) ?? sql`true`);
      // An empty `and` holds for every row, an empty `or` for none (as in logic, and in Prisma).
      if (parts.length > 0) conditions.push((name === 'and' ? and(...parts) : or(...parts)) as SQL);
      else if (name === 'or') conditions.push(sql`false`);
    } else if (name === 'not') {
      const inner = nested(value, at);
      // `not: {}` negates a condition that holds for every row.
      conditions.push(inner ? not(sql`coalesce(${inner}, false)`) : sql`false`);
    } else {
      conditions.push(relationCondition(aliases, scope, name, value, keys, at));
    }
  }
  return conditions.length === 0 ? undefined : (and(...conditions) as SQL);
}

/**
 * `exists (select 1 from <target> tN where tN.<targetKey> = <sourceKey> [and <inner>] [and <rule>])`:
 * a related row the viewer may not read matches nothing.
 */
function existsRelated(
  aliases: Aliases,
  scope: Scope,
  relation: GraphRelation,
  inner: (target: Scope) => SQL | undefined,
): SQL {
  const target = aliases.scope(relation.target);
  const link = sql`${target.column(relation.targetKey)} = ${scope.column(relation.sourceKey)}`;
  const rule = aliases.rules?.rowCondition(relation.target, target, aliases);
  const conditions = [link, inner(target), rule].filter((part) => part !== undefined);
  return sql`exists (select 1 from ${target.from} where ${sql.join(conditions, sql` and `)})`;
}

/**
 * `exists (select 1 from <pivot> tP join <target> tT on tT.<targetKey> = tP.<pivotTargetKey> where
 * tP.<pivotSourceKey> = <sourceKey> [and <inner>] [and <rule>])`: a linked row the viewer may not read
 * matches nothing.
 */
function existsLinked(
  aliases: Aliases,
  scope: Scope,
  relation: GraphPivotRelation,
  inner: (target: Scope) => SQL | undefined,
): SQL {
  const pivot = aliases.scope(relation.pivot.model);
  const target = aliases.scope(relation.target);
  const on = sql`${target.column(relation.targetKey)} = ${pivot.column(relation.pivotTargetKey)}`;
  const link = sql`${pivot.column(relation.pivotSourceKey)} = ${scope.column(relation.sourceKey)}`;
  const rule = aliases.rules?.rowCondition(relation.target, target, aliases);
  const conditions = [link, inner(target), rule].filter((part) => part !== undefined);
  return sql`exists (select 1 from ${pivot.from} join ${target.from} on ${on} where ${sql.join(conditions, sql` and `)})`;
}

function relationCondition(
  aliases: Aliases,
  scope: Scope,
  name: string,
  value: unknown,
  keys: ForeignKeys,
  path: string,
): SQL {
  const existence = name.endsWith('Exists')
    ? scope.model.relations.get(name.slice(0, -'Exists'.length))
    : undefined;
  if (existence && !existence.many) {
    const exists = existsRelated(aliases, scope, existence, () => undefined);
    return value ? exists : not(exists);
  }
  const relation = scope.model.relations.get(name) ?? scope.model.manyToMany.get(name);
  if (!relation) throw inputError(path, `"${name}" is not a field or relation of ${scope.model.name}.`);
  const compile = (where: unknown, at: string) => (target: Scope) =>
    compileWhere(aliases, target, where as Where, keys, at);
  const exists = (inner: (target: Scope) => SQL | undefined) =>
    relation.kind === 'manyToMany'
      ? existsLinked(aliases, scope, relation, inner)
      : existsRelated(aliases, scope, relation, inner);
  if (relation.kind !== 'manyToMany' && !relation.many) return exists(compile(value, path));
  const conditions: SQL[] = [];
  const { some, every, none } = value as Record<'some' | 'every' | 'none', Where | null | undefined>;
  if (some) conditions.push(exists(compile(some, `${path}.some`)));
  if (none) conditions.push(not(exists(compile(none, `${path}.none`))));
  if (every) {
    // Every row matches: no row fails (a condition that is NULL for a row counts as failing).
    const failing = (target: Scope) => {
      const inner = compile(every, `${path}.every`)(target);
      return inner ? not(sql`coalesce(${inner}, false)`) : sql`false`;
    };
    conditions.push(not(exists(failing)));
  }
  return conditions.length === 0 ? sql`true` : (and(...conditions) as SQL);
}
