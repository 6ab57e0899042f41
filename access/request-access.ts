/**
 * The access rules of one request, for its viewer: each model's read rule and field rules evaluated
 * once (on first use) and compiled to SQL whose values are placeholders, so the statement for one
 * shape of rule serves every viewer with the values bound per execution, and never their rows.
 */
import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { BoundedCache } from '../db/bounded-cache.ts';
import { modelTable, type Tables } from '../db/tables.ts';
import { compileWhere } from '../query/compile-where.ts';
import { Aliases, type Bind, type Scope, tableScope } from '../query/scope.ts';
import {
  fieldRules,
  type ReadRule,
  type RuleResult,
  type Viewer,
  type Where,
  type WriteOperation,
} from '../schema/access-rules.ts';
import type { GraphField, GraphModel, RelationGraph } from '../schema/graph.ts';

type Values = Record<string, unknown>;

/** What the viewer may read of a model, where it is less than everything. */
export interface Restriction {
  /** Equal keys, equal SQL: the shapes of the rules' filters, without their values. */
  readonly key: string;
  /** Whether the read rule hides some rows (not only fields). */
  readonly hidesRows: boolean;
  /** The values of the placeholders the compiled rules use. */
  readonly values: Readonly<Values>;
  /**
   * The condition on rows at `scope`; `undefined`: every row. Values are placeholders in a statement
   * `prepared` for reuse (bound with `values`), parameters in one run once.
   */
  row(scope: Scope, aliases: Aliases, prepared: boolean): SQL | undefined;
  /** `case when <rule> then <column> end` for a field with a rule that may hide it; else `undefined`. */
  field(field: GraphField, scope: Scope, aliases: Aliases, prepared: boolean): SQL | undefined;
}

export interface RequestAccess {
  readonly viewer: Viewer | null;
  readonly tables: Tables;
  /** Whether any model declares rules; when none does, every statement is the one it always was. */
  readonly enabled: boolean;
  /** What `model` hides from this viewer, or `undefined` when it may read every row and field. */
  restriction(model: GraphModel): Restriction | undefined;
  /** The write rule of `model` for `operation` on a row with this input (`true` without a rule). */
  writeRule(model: GraphModel, operation: WriteOperation, input: Readonly<Values>): RuleResult;
  /** Compiles a filter a rule returned, values bound as parameters (for statements run once). */
  condition(model: GraphModel, where: Where, scope: Scope, aliases: Aliases, label: string): SQL;
}

/** A rule filter compiled for one model: `false`, or a `Where` whose values become placeholders. */
interface CompiledRule {
  readonly where: Where | false;
  /** Placeholder names start with this (`r:Post:`), unique within any statement. */
  readonly prefix: string;
  readonly label: string;
}

const dialect = new PgDialect();

const parameter: Bind = (value) => sql`${sql.param(value)}`;

/** Binds each value as the placeholder `<prefix><n>`, recording its value in `values`. */
function placeholders(prefix: string, values: Values): Bind {
  let next = 0;
  return (value) => {
    const name = `${prefix}${next++}`;
    values[name] = value;
    return sql`${sql.placeholder(name)}`;
  };
}

/** A rule's answer, checked: rules are server code, so a wrong answer is a server error (masked). */
function checkedResult(result: unknown, label: string): RuleResult {
  if (typeof result === 'boolean') return result;
  if (result !== null && typeof result === 'object' && !Array.isArray(result)) return result as Where;
  throw new Error(`relgraph: ${label} returned ${JSON.stringify(result)}; return true, false or a filter.`);
}

/** Runs `compile`, reporting a filter the rule built wrongly as a server error that names the rule. */
function compiling<T>(label: string, compile: () => T): T {
  try {
    return compile();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`relgraph: ${label} returned a filter that cannot be applied: ${message}`);
  }
}

/** A rule's filter as text, every value tagged with its type (a Date and its ISO string differ). */
function filterText(where: Where): string | undefined {
  try {
    return JSON.stringify(where, function (this: Record<string, unknown>, key, value: unknown) {
      const raw = key === '' ? value : this[key];
      if (raw instanceof Date) return `d${raw.getTime()}`;
      if (raw === null || typeof raw === 'object') return value;
      return `${(typeof raw)[0]}${String(raw)}`;
    });
  } catch {
    // A filter JSON cannot write (a cycle) is compiled each time.
    return undefined;
  }
}

/** A compiled filter's shape and values, for a filter seen before. */
interface CompiledFilter {
  readonly shape: string;
  readonly values: Readonly<Values>;
}

/** Per model: filters' text to their compilation; bounded, least recently used out. */
const compiledFilters = new WeakMap<GraphModel, BoundedCache<string, CompiledFilter>>();
/** Compiled rule filters kept per model. */
const COMPILED_FILTERS_LIMIT = 1000;

function rememberedFilter(model: GraphModel, text: string | undefined, compileIt: () => CompiledFilter) {
  if (text === undefined) return compileIt();
  let filters = compiledFilters.get(model);
  if (!filters) {
    filters = new BoundedCache(COMPILED_FILTERS_LIMIT);
    compiledFilters.set(model, filters);
  }
  return filters.getOrSet(text, compileIt);
}

const withRules = new WeakMap<RelationGraph, boolean>();

/** Whether any model of `graph` declares access rules (computed once per graph). */
function hasRules(graph: RelationGraph): boolean {
  let found = withRules.get(graph);
  if (found === undefined) {
    found = [...graph.models.values()].some((model) => model.definition.access !== undefined);
    withRules.set(graph, found);
  }
  return found;
}

/** The rules of one request: evaluated for `viewer` when a statement first needs them. */
export function createRequestAccess(
  graph: RelationGraph,
  tables: Tables,
  viewer: Viewer | null,
): RequestAccess {
  const enabled = hasRules(graph);
  const restrictions = new Map<GraphModel, Restriction | undefined>();
  const keys = graph.foreignKeys;

  const compile = (rule: CompiledRule, scope: Scope, aliases: Aliases, bind: Bind): SQL => {
    if (rule.where === false) return sql`false`;
    const where = rule.where;
    return (
      compiling(rule.label, () => compileWhere(aliases.trusted(bind), scope, where, keys, 'filter')) ??
      sql`true`
    );
  };

  const bindFor = (rule: CompiledRule, prepared: boolean): Bind =>
    prepared ? placeholders(rule.prefix, {}) : parameter;

  const restrictionOf = (model: GraphModel): Restriction | undefined => {
    const access = model.definition.access;
    if (!access) return undefined;
    const values: Values = {};
    const shapes: string[] = [];
    /** Evaluates a read-style rule; `undefined` when it allows everything. */
    const evaluate = (rule: ReadRule | undefined, prefix: string, label: string) => {
      if (rule === undefined) return undefined;
      const result = checkedResult(rule({ viewer }), label);
      if (result === true) return undefined;
      const compiled: CompiledRule = { where: result, prefix, label };
      // Compiled here for the values and the shape (once per distinct filter: every anonymous visitor
      // gets the same); statements compile it again at their scope when they are prepared.
      const text = result === false ? 'false' : filterText(result);
      const { shape, values: bound } = rememberedFilter(model, text && `${prefix}${text}`, () => {
        const own: Values = {};
        const scope = tableScope(modelTable(tables, model.name));
        const condition = compile(compiled, scope, new Aliases(tables), placeholders(prefix, own));
        return { shape: `${prefix}${dialect.sqlToQuery(condition).sql}`, values: own };
      });
      Object.assign(values, bound);
      shapes.push(shape);
      return compiled;
    };
    const read = evaluate(access.read, `r:${model.name}:`, `${model.name} access.read`);
    const fields = new Map<string, CompiledRule>();
    for (const name of Object.keys(access.fields ?? {})) {
      const rule = fieldRules(access, name).read;
      const compiled = evaluate(rule, `f:${model.name}.${name}:`, `${model.name} access.fields.${name}`);
      if (compiled) fields.set(name, compiled);
    }
    if (!read && fields.size === 0) return undefined;
    return {
      key: shapes.join('\u0000'),
      hidesRows: read !== undefined,
      values,
      row: (scope, aliases, prepared) => read && compile(read, scope, aliases, bindFor(read, prepared)),
      field(field, scope, aliases, prepared) {
        const rule = fields.get(field.name);
        if (!rule) return undefined;
        const visible = compile(rule, scope, aliases, bindFor(rule, prepared));
        return sql`case when ${visible} then ${scope.column(field)} end`;
      },
    };
  };

  return {
    viewer,
    tables,
    enabled,
    restriction(model) {
      if (!model.definition.access) return undefined;
      if (!restrictions.has(model)) restrictions.set(model, restrictionOf(model));
      return restrictions.get(model);
    },
    writeRule(model, operation, input) {
      const rule = model.definition.access?.[operation];
      if (!rule) return true;
      return checkedResult(rule({ viewer, input }), `${model.name} access.${operation}`);
    },
    condition(model, where, scope, aliases, label) {
      return compile({ where, prefix: '', label: `${model.name} ${label}` }, scope, aliases, parameter);
    },
  };
}
