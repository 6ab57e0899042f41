/**
 * The columns of the diagram: a model stands one column right of every model it points at, and each
 * column is ordered so that links cross as little as a simple, deterministic rule allows.
 */
import type { Diagram, DiagramModel } from './diagram-model.ts';

/** Column of every model: one right of the models it points at (a cycle is broken where it closes). */
export function assignColumns(diagram: Diagram): Map<string, number> {
  const pointsAt = new Map<string, string[]>();
  for (const { holder, referenced } of diagram.links) {
    if (holder.model === referenced.model) continue;
    pointsAt.set(holder.model, [...(pointsAt.get(holder.model) ?? []), referenced.model]);
  }
  const columns = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (name: string): number => {
    const known = columns.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) return -1;
    visiting.add(name);
    const column = Math.max(0, ...(pointsAt.get(name) ?? []).map((target) => visit(target) + 1));
    visiting.delete(name);
    columns.set(name, column);
    return column;
  };
  for (const model of diagram.models) visit(model.name);
  return columns;
}

/** Orders each column by the mean position of its neighbours in the columns before it (fewer crossings). */
export function orderColumns(diagram: Diagram, columns: Map<string, number>): DiagramModel[][] {
  const count = Math.max(0, ...columns.values()) + 1;
  const byColumn: DiagramModel[][] = Array.from({ length: count }, () => []);
  for (const model of diagram.models) byColumn[columns.get(model.name) ?? 0]?.push(model);
  const neighbours = new Map<string, string[]>();
  for (const { holder, referenced } of diagram.links) {
    neighbours.set(holder.model, [...(neighbours.get(holder.model) ?? []), referenced.model]);
    neighbours.set(referenced.model, [...(neighbours.get(referenced.model) ?? []), holder.model]);
  }
  const position = new Map<string, number>();
  const declared = new Map(diagram.models.map((model, index) => [model.name, index / diagram.models.length]));
  for (const column of byColumn) {
    const key = (model: DiagramModel) => {
      const placed = (neighbours.get(model.name) ?? []).flatMap((name) => position.get(name) ?? []);
      return placed.length > 0
        ? placed.reduce((sum, value) => sum + value, 0) / placed.length
        : (declared.get(model.name) ?? 0);
    };
    const keys = new Map(column.map((model) => [model.name, key(model)]));
    column.sort(
      (a, b) =>
        (keys.get(a.name) ?? 0) - (keys.get(b.name) ?? 0) ||
        (declared.get(a.name) ?? 0) - (declared.get(b.name) ?? 0),
    );
    for (const [index, model] of column.entries()) position.set(model.name, (index + 0.5) / column.length);
  }
  return byColumn;
}
