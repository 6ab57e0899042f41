/** Distinct query shapes for tests and benchmarks of memory under many shapes: `orderBy` combinations. */

/** Every ordered choice of up to `most` of `fields`, each ascending or descending: `{ name: ASC }, { id: DESC }`. */
function orderings(fields: readonly string[], most: number): string[] {
  const found: string[] = [];
  const grow = (prefix: string[], left: readonly string[]) => {
    if (prefix.length > 0) found.push(prefix.join(', '));
    if (prefix.length === most) return;
    for (const field of left)
      for (const direction of ['ASC', 'DESC'])
        grow(
          [...prefix, `{ ${field}: ${direction} }`],
          left.filter((other) => other !== field),
        );
  };
  grow([], fields);
  return found;
}

/** 9,342 distinct demo queries: users ordered by up to four of five fields (2,490), then posts by up to four of six. */
export const queryShapes: readonly string[] = [
  ...orderings(['name', 'email', 'createdAt', 'addressId', 'id'], 4).map(
    (order) => `{ users(first: 4, orderBy: [${order}]) { nodes { id } } }`,
  ),
  ...orderings(['title', 'body', 'status', 'publishedAt', 'authorId', 'id'], 4).map(
    (order) => `{ posts(first: 4, orderBy: [${order}]) { nodes { id } } }`,
  ),
];
