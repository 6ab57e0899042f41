/**
 * The model plans → TypeScript source, formatted the way Biome formats `models/*.ts`: one file per
 * model and an `index.ts` exporting `models`. Every file starts with `PULL_MARKER`, which is how a
 * later pull knows it may overwrite the file.
 */
import type { FieldPlan, ModelPlan, OptionValue, PullPlan, RelationPlan } from './model-plan.ts';
import { conventionalTable } from './names.ts';

/** The first line of every file pull writes; a file without it is never overwritten (unless forced). */
export const PULL_MARKER = '// Written by `relgraph pull`';

const WIDTH = 110;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A string literal in Biome's style: single quotes, double quotes when that escapes less. */
function quote(text: string): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  if (escaped.includes("'") && !escaped.includes('"')) return `"${escaped}"`;
  return `'${escaped.replace(/'/g, "\\'")}'`;
}

/** A value as a TypeScript literal, on one line. */
function literal(value: OptionValue): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  const entries = Object.entries(value).map(
    ([key, item]) => `${IDENTIFIER.test(key) ? key : quote(key)}: ${literal(item)}`,
  );
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}

/** `indent + head + args + tail`, breaking the last argument (an options object) over lines when too long. */
function call(
  indent: string,
  head: string,
  args: string[],
  options: Record<string, OptionValue>,
  tail: string,
) {
  const entries = Object.entries(options);
  const all = entries.length === 0 ? args : [...args, literal(options)];
  const line = `${indent}${head}(${all.join(', ')})${tail}`;
  if (line.length <= WIDTH || entries.length === 0) return line;
  const inner = entries.map(([key, item]) => `${indent}  ${key}: ${literal(item)},`);
  return [`${indent}${head}(${[...args, '{'].join(', ')}`, ...inner, `${indent}})${tail}`].join('\n');
}

function fieldLine({ name, kind, idType, values, options }: FieldPlan): string {
  const own = idType ? { type: idType, ...options } : options;
  const args = values ? [literal([...values])] : [];
  return call('    ', `${name}: field.${kind}`, args, own as Record<string, OptionValue>, ',');
}

const relationLine = ({ name, kind, target, options }: RelationPlan) =>
  call('    ', `${name}: ${kind}`, [`(): Model => ${target}`], options as Record<string, OptionValue>, ',');

/** Names imported from one module, in Biome's order (case-insensitive, then upper case first). */
function sortedNames(names: Iterable<string>): string[] {
  return [...new Set(names)].sort((a, b) => {
    const [x, y] = [a.toLowerCase(), b.toLowerCase()];
    return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });
}

const noteLines = (title: string, notes: readonly string[]) =>
  notes.length === 0 ? [] : ['', `// ${title}`, ...notes.map((note) => `// - ${note}`)];

/** The source of one model's file. */
export function writeModel(
  plan: ModelPlan,
  models: ReadonlyMap<string, ModelPlan>,
  importFrom: string,
): string {
  const kinds = plan.relations.map((relation) => relation.kind);
  const library = sortedNames(['field', 'model', ...kinds, ...(kinds.length > 0 ? ['Model'] : [])]).map(
    (name) => (name === 'Model' ? 'type Model' : name),
  );
  const targets = [...new Set(plan.relations.map((relation) => relation.target))]
    .filter((target) => target !== plan.name)
    .map((target) => ({ target, file: `./${models.get(target)?.file}` }))
    .sort((a, b) => (a.file < b.file ? -1 : 1));
  return [
    `${PULL_MARKER} from table "${plan.table}"; a new pull overwrites it unless this line is removed.`,
    `import { ${library.join(', ')} } from ${quote(importFrom)};`,
    ...targets.map(({ target, file }) => `import { ${target} } from ${quote(file)};`),
    ...noteLines('What the database has and this model does not say:', plan.notes),
    '',
    `export const ${plan.name} = model(${quote(plan.name)}, {`,
    ...(conventionalTable(plan.name) === plan.table ? [] : [`  table: ${quote(plan.table)},`]),
    '  fields: {',
    ...plan.fields.map(fieldLine),
    '  },',
    ...(plan.relations.length === 0 ? [] : ['  relations: {', ...plan.relations.map(relationLine), '  },']),
    '});',
    '',
  ].join('\n');
}

/** `export const models = [A, B];`, over lines when too long. */
function listLine(head: string, names: readonly string[], tail: string): string {
  const line = `${head}${names.join(', ')}${tail}`;
  return line.length <= WIDTH
    ? line
    : [head.trimEnd(), ...names.map((name) => `  ${name},`), tail.trimStart()].join('\n');
}

/** The source of `index.ts`: every model, and `models` to pass to `createServer`. */
export function writeIndex(pull: PullPlan, schema: string): string {
  const byFile = [...pull.models].sort((a, b) => (a.file < b.file ? -1 : 1));
  const names = sortedNames(pull.models.map((model) => model.name));
  return [
    `${PULL_MARKER} from schema "${schema}"; a new pull overwrites it unless this line is removed.`,
    ...byFile.map((model) => `import { ${model.name} } from ${quote(`./${model.file}`)};`),
    ...noteLines('Tables that are not models:', pull.notes),
    '',
    listLine('export { ', names, ' };'),
    '',
    '/** Every pulled model: `createServer({ models })`. */',
    listLine('export const models = [', names, '];'),
    '',
  ].join('\n');
}

/** Every file of a pull, by path relative to the output folder, in a stable order. */
export function writeModels(pull: PullPlan, schema: string, importFrom: string): Map<string, string> {
  const models = new Map(pull.models.map((model) => [model.name, model]));
  const files = new Map<string, string>();
  for (const model of [...pull.models].sort((a, b) => (a.file < b.file ? -1 : 1)))
    files.set(model.file, writeModel(model, models, importFrom));
  files.set('index.ts', writeIndex(pull, schema));
  return files;
}
