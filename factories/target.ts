/** Where a factory writes: a database and the tables of the models it was built with. */
import type { Database, DatabaseConnection } from '../db/client.ts';
import type { Tables } from '../db/tables.ts';
import type { GraphLink, GraphModel } from '../schema/graph.ts';
import type { Model } from '../schema/model.ts';

/**
 * A `RelgraphServer`, or `{ db, tables }` (a Drizzle database or transaction, and `buildTables(graph)`).
 * Every model a factory touches must be among the tables' models.
 */
export type FactoryTarget = { readonly tables: Tables } & (
  | { readonly db: Database }
  | { readonly connection: DatabaseConnection }
);

export const databaseOf = (target: FactoryTarget): Database =>
  'db' in target ? target.db : target.connection.database();

/** The graph model of a declared model, checking it is the very definition the tables were built from. */
export function graphModelOf(tables: Tables, model: Model): GraphModel {
  const found = tables.byModel.get(model.name)?.model;
  if (!found || found.definition !== model) {
    const known = [...tables.byModel.keys()].join(', ');
    throw new Error(
      `relgraph factory: model "${model.name}" is not one of the models the target was built with (${known}); pass the same model objects to createServer or buildRelationGraph.`,
    );
  }
  return found;
}

const heldLinks = new WeakMap<Tables, Map<GraphModel, GraphLink[]>>();

/**
 * The links whose foreign key `model` holds. Every link has at least one relation side, so the
 * relations of all models reach every link: the tables alone are enough.
 */
export function linksHeldBy(tables: Tables, model: GraphModel): readonly GraphLink[] {
  let byHolder = heldLinks.get(tables);
  if (!byHolder) {
    byHolder = new Map();
    const links = new Set<GraphLink>();
    for (const { model: each } of tables.byModel.values()) {
      for (const relation of each.relations.values()) links.add(relation.link);
    }
    for (const link of links) byHolder.set(link.holder, [...(byHolder.get(link.holder) ?? []), link]);
    heldLinks.set(tables, byHolder);
  }
  return byHolder.get(model) ?? [];
}
