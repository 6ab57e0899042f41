/** The modules a JavaScript or TypeScript file loads, read from its text (no bundler, no parser). */
import { builtinModules } from 'node:module';

/**
 * The module specifiers a file imports or re-exports at run time: static `import`/`export … from`
 * (`import type` and `export type` are erased, so they are left out) and dynamic `import('…')`.
 */
export const importsOf = (text: string): string[] => [
  ...[...text.matchAll(/^(?:import|export)\s(?!type\b)(?:[^'";]*?\sfrom\s)?['"]([^'"]+)['"]/gm)].map(
    (match) => match[1] ?? '',
  ),
  ...[...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((match) => match[1] ?? ''),
];

/** Every module specifier a declaration file mentions: `import … from`, `export … from`, `import("…")`. */
export const typeImportsOf = (text: string): string[] =>
  [...text.matchAll(/(?:\bfrom\s*|\bimport\(\s*)['"]([^'"]+)['"]/g)].map((match) => match[1] ?? '');

/** The npm package a bare specifier names (`@scope/name/sub` → `@scope/name`); `undefined` for Node's own. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier)) {
    return undefined;
  }
  return specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
}
