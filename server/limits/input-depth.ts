/**
 * How deeply input values nest: each object or list is one level (`{ and: [{ name: { eq: "x" } }] }`
 * is 4). Measured without recursion, so a value nested a million levels deep is measured, not a
 * stack overflow.
 */
import { type DocumentNode, visit } from 'graphql';

/** The deepest object or list literal among the document's arguments. */
export function literalDepth(document: DocumentNode): number {
  let depth = 0;
  let deepest = 0;
  const level = {
    enter() {
      depth += 1;
      deepest = Math.max(deepest, depth);
    },
    leave() {
      depth -= 1;
    },
  };
  visit(document, { ObjectValue: level, ListValue: level });
  return deepest;
}

/** The nesting of a JSON value (a variable), and the deepest variable's name. */
export function deepestVariable(variables: Readonly<Record<string, unknown>>): {
  name: string;
  depth: number;
} {
  let deepest = { name: '', depth: 0 };
  // Two parallel stacks holding objects only (no pair per value): a variable of 50,000 filters is
  // measured in milliseconds.
  const values: object[] = [];
  const depths: number[] = [];
  for (const [name, value] of Object.entries(variables)) {
    if (value === null || typeof value !== 'object') continue;
    values.push(value);
    depths.push(1);
    while (values.length > 0) {
      const current = values.pop() as Record<string, unknown> | unknown[];
      const depth = depths.pop() as number;
      if (depth > deepest.depth) deepest = { name, depth };
      const children = Array.isArray(current) ? current : Object.values(current);
      for (const child of children) {
        if (child === null || typeof child !== 'object') continue;
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return deepest;
}
