/**
 * How `relgraph pull` names what it writes: a model from its table, a field from its column, a file
 * from its model — each the inverse of relgraph's conventions (`schema/naming.ts`), so that `table`
 * and `column` are written only where the database does not follow them.
 */
import { camelCase, pascalCase, plural, snakeCase } from '../../schema/naming.ts';

/** The words of a database name: `blog_posts` → `blog`, `posts`; `tblUser` → `tbl`, `User`. */
function words(name: string): string[] {
  return snakeCase(name.replace(/[^A-Za-z0-9]+/g, '_'))
    .split('_')
    .filter((word) => word !== '');
}

/** A GraphQL name cannot start with a digit: `2fa_codes` → `_2faCodes`. */
const guarded = (name: string) => (/^[0-9]/.test(name) ? `_${name}` : name || '_');

/** `posts` → `post`, `addresses` → `address`, `categories` → `category`; the inverse of `plural`. */
export function singular(word: string): string {
  if (/[^aeiou]ies$/i.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ss|x|z|ch|sh)es$/i.test(word)) return word.slice(0, -2);
  if (/[^su]s$/i.test(word) && !/is$/i.test(word)) return word.slice(0, -1);
  return word;
}

/** `blog_posts` → `BlogPost`, `people` → `People`. */
export function modelNameOf(table: string): string {
  const parts = words(table);
  const last = parts.pop() ?? '';
  return guarded([...parts, singular(last)].map((word) => pascalCase(word)).join(''));
}

/** `created_at` → `createdAt`, `FirstName` → `firstName`. */
export function fieldNameOf(column: string): string {
  const [first = '', ...rest] = words(column);
  return guarded(camelCase(first) + rest.map((word) => pascalCase(word)).join(''));
}

/** The table relgraph gives a model of this name: the `table` option is needed when it differs. */
export const conventionalTable = (model: string) => plural(snakeCase(model));

/** The column relgraph gives a field of this name: the `column` option is needed when it differs. */
export const conventionalColumn = (field: string) => snakeCase(field);

/** `BlogPost` → `blog-post.ts`. */
export const fileNameOf = (model: string) => `${snakeCase(model).replace(/_/g, '-')}.ts`;

/** `name`, or `name2`, `name3` … — the first that `taken` does not hold. */
export function unusedName(name: string, taken: (candidate: string) => boolean): string {
  if (!taken(name)) return name;
  let n = 2;
  while (taken(`${name}${n}`)) n += 1;
  return `${name}${n}`;
}

/**
 * Whether relgraph can use a table or column name: drizzle-kit writes `"name"` without doubling a `"`
 * inside it, so a name with `"` (or a control character) cannot be declared.
 */
export const usableName = (name: string) => /^[^"\p{Cc}]+$/u.test(name);
