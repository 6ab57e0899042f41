/** Checks the `access` rules of each model when the graph is built: known operations, functions, fields that can be hidden. */
import type { Problems } from './definition-error.ts';
import { didYouMean } from './did-you-mean.ts';
import type { GraphField, GraphLink, GraphModel } from './graph.ts';

const OPERATIONS = ['read', 'create', 'update', 'delete', 'fields'];

/** Keys that join rows: hiding one would break relations rather than hide data. */
function linkKeys(links: readonly GraphLink[]): Set<GraphField> {
  return new Set(links.flatMap((link) => [link.foreignKey, link.referencedKey]));
}

const FIELD_OPERATIONS = ['read', 'create', 'update'];

/** `"role" is a relation`: field rules name its foreign key. */
function relationHint(model: GraphModel, name: string): string {
  const relation = model.relations.get(name);
  if (relation?.kind !== 'belongsTo') return didYouMean(name, model.fields.keys());
  return ` "${name}" is a relation; name its foreign key "${relation.link.foreignKey.name}".`;
}

/** A field rule in object form: known operations, each a function; `read` only on fields that can be hidden. */
function checkFieldRuleObject(
  label: string,
  name: string,
  rule: object,
  linking: boolean,
  problems: Problems,
) {
  for (const [operation, value] of Object.entries(rule)) {
    if (value === undefined) continue;
    if (!FIELD_OPERATIONS.includes(operation)) {
      problems.add(
        `${label}.${operation} is not a field rule; use ${FIELD_OPERATIONS.join(', ')}.${didYouMean(operation, FIELD_OPERATIONS)}`,
      );
    } else if (typeof value !== 'function') {
      const answer = operation === 'read' ? 'true | false | filter' : 'true | false';
      problems.add(`${label}.${operation} must be a function ({ viewer, input }) => ${answer}.`);
    } else if (operation === 'read' && linking) {
      problems.add(`${label}.read: ${hiddenKey(name)}`);
    }
  }
}

/** Hiding a key would break relations rather than hide data; writing it may still be ruled. */
const hiddenKey = (name: string) =>
  `"${name}" is a key that links rows and cannot be hidden; restrict the rows with access.read instead.`;

function checkFieldRules(
  model: GraphModel,
  rules: Record<string, unknown>,
  keys: ReadonlySet<GraphField>,
  problems: Problems,
) {
  for (const [name, rule] of Object.entries(rules)) {
    if (rule === undefined) continue;
    const label = `Model "${model.name}": access.fields.${name}`;
    const field = model.fields.get(name);
    const linking = field !== undefined && (field.primary || keys.has(field));
    if (!field) {
      problems.add(`${label} names no field of ${model.name}.${relationHint(model, name)}`);
    } else if (typeof rule === 'function') {
      if (linking) problems.add(`${label}: ${hiddenKey(name)}`);
    } else if (rule !== null && typeof rule === 'object' && !Array.isArray(rule)) {
      checkFieldRuleObject(label, name, rule, linking, problems);
    } else {
      problems.add(
        `${label} must be a function ({ viewer }) => true | false | filter, or { read, create, update }.`,
      );
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
