/** Checks the `access` rules of each model when the graph is built: known operations, functions, fields that can be hidden. */
import type { Problems } from './definition-error.ts';
import { didYouMean } from './did-you-mean.ts';
import type { GraphField, GraphLink, GraphModel } from './graph.ts';

const OPERATIONS = ['read', 'create', 'update', 'delete', 'fields'];

/** Keys that join rows: hiding one would break relations rather than hide data. */
function linkKeys(links: readonly GraphLink[]): Set<GraphField> {
  return new Set(links.flatMap((link) => [link.foreignKey, link.referencedKey]));
}

function checkFieldRules(
  model: GraphModel,
  rules: Record<string, unknown>,
  keys: ReadonlySet<GraphField>,
  problems: Problems,
) {
  for (const [name, rule] of Object.entries(rules)) {
    const label = `Model "${model.name}": access.fields.${name}`;
    const field = model.fields.get(name);
    if (!field) {
      problems.add(`${label} names no field of ${model.name}.${didYouMean(name, model.fields.keys())}`);
    } else if (field.primary || keys.has(field)) {
      problems.add(
        `${label}: "${name}" is a key that links rows and cannot be hidden; restrict the rows with access.read instead.`,
      );
    } else if (typeof rule !== 'function') {
      problems.add(`${label} must be a function ({ viewer }) => true | false | filter.`);
    }
  }
}

/** Reports every rule that cannot work, naming the model and the rule. */
export function checkAccess(models: Iterable<GraphModel>, links: readonly GraphLink[], problems: Problems) {
  const keys = linkKeys(links);
  for (const model of models) {
    const access = model.definition.access as Record<string, unknown> | undefined;
    if (access === undefined) continue;
    for (const [operation, rule] of Object.entries(access)) {
      if (rule === undefined) continue;
      if (!OPERATIONS.includes(operation)) {
        problems.add(
          `Model "${model.name}": "access.${operation}" is not an access rule; use ${OPERATIONS.join(', ')}.${didYouMean(operation, OPERATIONS)}`,
        );
      } else if (operation === 'fields') {
        checkFieldRules(model, rule as Record<string, unknown>, keys, problems);
      } else if (typeof rule !== 'function') {
        problems.add(
          `Model "${model.name}": access.${operation} must be a function ({ viewer${operation === 'read' ? '' : ', input'} }) => true | false | filter.`,
        );
      }
    }
  }
}
