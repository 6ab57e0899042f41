/**
 * Statements compiled under the viewer's rules, and cached by the shape of those rules: a statement is
 * prepared once per (arguments, rule shapes) and executed with each request's rule values bound, so
 * two viewers share SQL text but never a row.
 */
import type { SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { type Selection, valueOfColumn } from '../db/prepared-rows.ts';
import { cachedStatement } from '../db/statement-cache.ts';
import type { ModelTable } from '../db/tables.ts';
import type { Aliases, Scope, StatementRules } from '../query/scope.ts';
import type { GraphField, GraphModel } from '../schema/graph.ts';
import type { RequestAccess } from './request-access.ts';

const NO_VALUES: Readonly<Record<string, unknown>> = Object.freeze({});

/** The rules of one statement's compilation; records which models with rules it asked about. */
export class StatementAccess implements StatementRules {
  readonly consulted = new Set<GraphModel>();

  constructor(
    private readonly access: RequestAccess,
    /** Rule values as placeholders (a statement prepared for reuse) or as parameters (run once). */
    private readonly placeholders = true,
  ) {}

  rowCondition(model: GraphModel, scope: Scope, aliases: Aliases): SQL | undefined {
    return this.#restriction(model)?.row(scope, aliases, this.placeholders);
  }

  visibleValue(field: GraphField, scope: Scope, aliases: Aliases): SQL | undefined {
    return this.#restriction(scope.model)?.field(field, scope, aliases, this.placeholders);
  }

  #restriction(model: GraphModel) {
    if (!model.definition.access) return undefined;
    this.consulted.add(model);
    return this.access.restriction(model);
  }
}

/** The columns of `scope`'s table as the viewer may see them: hidden fields select `null`. */
export function visibleSelection(table: ModelTable, scope: Scope, aliases: Aliases): Selection {
  const fields = table.model.definition.access?.fields;
  if (!fields || !aliases.rules) return table.columns;
  const selection: Record<string, Selection[string]> = { ...table.columns };
  for (const name of Object.keys(fields)) {
    const field = table.model.fields.get(name);
    const column = table.columns[name];
    const value = field && aliases.rules.visibleValue(field, scope, aliases);
    if (value && column) selection[name] = valueOfColumn(value, column, name);
  }
  return selection;
}

interface Variants {
  /** The models with rules that the statement's compilation asked about (known after the first). */
  consulted: readonly GraphModel[] | undefined;
}

/**
 * The plan `build` compiles for `owner` and `key` (what the statement is about, and its arguments)
 * under this request's rules, with the values its placeholders take. Without rules in the graph this
 * is exactly `cachedStatement(db, owner, key, build)`.
 */
export function planUnderRules<P>(
  db: Database,
  access: RequestAccess | undefined,
  owner: object,
  key: string,
  build: (rules: StatementRules | undefined) => P,
): { plan: P; values: Readonly<Record<string, unknown>> } {
  if (!access?.enabled)
    return { plan: cachedStatement(db, owner, key, () => build(undefined)), values: NO_VALUES };
  const variants = cachedStatement<Variants>(db, owner, key, () => ({ consulted: undefined }));
  let consulted = variants.consulted;
  let plan: P | undefined;
  if (consulted === undefined) {
    // Which models a statement consults follows from its arguments alone, so the first compilation
    // tells every later request which rule shapes to key by.
    const rules = new StatementAccess(access);
    plan = build(rules);
    consulted = [...rules.consulted];
    variants.consulted = consulted;
  }
  const restrictions = consulted.map((model) => access.restriction(model));
  const shape = restrictions.map((restriction) => restriction?.key ?? '').join('\u0001');
  const built = plan;
  const cached = cachedStatement(db, variants, shape, () => built ?? build(new StatementAccess(access)));
  const values = Object.assign({}, ...restrictions.map((restriction) => restriction?.values ?? NO_VALUES));
  return { plan: cached, values };
}
