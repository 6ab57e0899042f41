/** Changed copies of models, for tests that compare a model set with one model changed. */
import type { Model } from '../../schema/model.ts';

/** Every relation target by name, so one model of the set can be swapped for a changed copy. */
export const targetsByName = (models: readonly Model[]): Model[] =>
  models.map((definition) => ({
    ...definition,
    relations: Object.fromEntries(
      Object.entries(definition.relations).map(([name, relation]) => [
        name,
        {
          ...relation,
          target: typeof relation.target === 'string' ? relation.target : relation.target().name,
        },
      ]),
    ),
  }));
