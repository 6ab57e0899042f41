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
  for (const [name, value] of Object.entries(variables)) {
    const pending: Array<[unknown, number]> = [[value, 0]];
    while (pending.length > 0) {
      const [current, depth] = pending.pop() as [unknown, number];
      if (current === null || typeof current !== 'object') continue;
      if (depth + 1 > deepest.depth) deepest = { name, depth: depth + 1 };
      for (const child of Object.values(current)) pending.push([child, depth + 1]);
    }
  }
  return deepest;
}
