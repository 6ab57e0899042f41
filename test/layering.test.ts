/**
 * The layering of DESIGN.md ("Layout"): each folder imports only from itself and the folders before
 * it, type imports included. Reads every source file's relative imports; a failure names each import
 * that runs against the layering, so it can be moved down or its target moved up.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Lowest first. `diagram/` and `factories/` sit where their imports put them. */
const LAYERS = [
  'schema',
  'errors.ts',
  'db',
  'diagram',
  'query',
  'access',
  'loaders',
  'writes',
  'factories',
  'resolvers',
  'server',
  'index.ts',
  'models',
  'cli',
];

/** Where consumers live: they may import anything. */
const OUTSIDE = new Set(['test', 'bench', 'node_modules', 'vitest.config.ts']);

function sourceFiles(dir = ''): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = dir ? `${dir}/${name}` : name;
    if (name.startsWith('.') || OUTSIDE.has(path)) return [];
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const layerOf = (file: string) => LAYERS.indexOf(file.split('/')[0] ?? file);

/** Relative specifiers of `import`/`export … from`, type-only ones included. */
const importsOf = (text: string) =>
  [...text.matchAll(/^(?:import|export)\s[^'";]*?\sfrom\s['"](\.{1,2}\/[^'"]+)['"]/gm)].map(
    (m) => m[1] ?? '',
  );

describe('layering', () => {
  const files = sourceFiles();

  it('places every source file in a layer', () => {
    expect(files.filter((file) => layerOf(file) < 0)).toEqual([]);
    expect(files.length).toBeGreaterThan(100);
  });

  it('has no import against the layering (a folder imports only from itself and those before it)', () => {
    const offenders: string[] = [];
    for (const file of files) {
      for (const specifier of importsOf(readFileSync(join(ROOT, file), 'utf8'))) {
        const target = relative(ROOT, normalize(join(ROOT, dirname(file), specifier)));
        if (layerOf(target) > layerOf(file)) offenders.push(`${file} → ${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
