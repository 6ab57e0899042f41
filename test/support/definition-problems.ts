/** What the definition checks say about a model set, without a database. */
import { buildRelationGraph, type Model, ModelDefinitionError } from '../../index.ts';

/** The problems `buildRelationGraph` reports for `models`; none when it accepts them. */
export function problemsOf(models: readonly Model[]): readonly string[] {
  try {
    buildRelationGraph(models);
  } catch (error) {
    if (error instanceof ModelDefinitionError) return error.problems;
    throw error;
  }
  return [];
}
