/** Every problem found in a set of model definitions, reported together before anything starts. */

export class ModelDefinitionError extends Error {
  /** One sentence per problem, each naming the model, relation or field and the fix. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const list = problems.map((problem, i) => `  ${i + 1}. ${problem}`).join('\n');
    super(`relgraph found ${count} in the model definitions:\n${list}`);
    this.name = 'ModelDefinitionError';
    this.problems = problems;
  }
}

/** Collects problems while the graph is built; `throwIfAny` ends the build when there were some. */
export class Problems {
  readonly #list: string[] = [];

  add(problem: string): void {
    this.#list.push(problem);
  }

  get count(): number {
    return this.#list.length;
  }

  throwIfAny(): void {
    if (this.#list.length > 0) throw new ModelDefinitionError(this.#list);
  }
}
