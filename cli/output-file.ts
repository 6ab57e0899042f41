/** Where a command writes a file: `-` is standard output, a relative path is from where npm was run. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';

// npm runs scripts in the package folder and keeps the folder the person typed the command in as INIT_CWD.
const base = () => process.env.INIT_CWD ?? process.cwd();

/** The absolute path of `file`, as the person meant it. */
export const outputPath = (file: string) => resolve(base(), file);

/** Writes `text` to `file` (creating its folder) or to standard output for `-`; returns what to report. */
export async function writeOutput(file: string, text: string): Promise<string | undefined> {
  if (file === '-') {
    process.stdout.write(text);
    return undefined;
  }
  const path = outputPath(file);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  return relative(base(), path) || path;
}

/** The current text of `file`, or `undefined` when it does not exist. */
export async function readOutput(file: string): Promise<string | undefined> {
  try {
    return await readFile(outputPath(file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
