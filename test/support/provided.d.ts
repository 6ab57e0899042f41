// Values the globalSetup (postgres-server.ts) hands to test files through `inject(...)`.
// The import makes this file a module, so the block below augments vitest's types rather than
// replacing them. It must be a plain import: with `export {}` or `import type {}` instead, tsc 7
// ignored the augmentation whenever no other file in the program imported 'vitest'.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Server URL; tests may create and drop their own databases on it. */
    databaseUrl: string;
  }
}
