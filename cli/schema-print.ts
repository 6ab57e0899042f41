/** `npm run schema:print`: writes the API's SDL to schema.graphql for code generators and reviews. */
import { fileURLToPath } from 'node:url';
import { demoModels } from '../models/index.ts';
import { buildRelationGraph } from '../schema/build-graph.ts';
import { printGraphSchema } from '../schema/print-schema.ts';
import { type Command, UsageError } from './command.ts';
import { readOutput, writeOutput } from './output-file.ts';

const SCHEMA_FILE = fileURLToPath(new URL('../schema.graphql', import.meta.url));

export const schemaPrint: Command = {
  name: 'schema:print',
  summary: 'Write the GraphQL schema of the demo models (SDL, sorted, with descriptions).',
  details: [
    'schema.graphql is committed; a test fails while it differs from the models, so run this after a',
    'model change. GraphQL Code Generator and editors read the file as it is. Needs no database.',
  ].join('\n'),
  options: {
    output: {
      type: 'string',
      value: '<file>',
      description: 'Where to write it, - for standard output (default: schema.graphql).',
    },
    check: { type: 'boolean', description: 'Write nothing; exit 1 if the file differs from the models.' },
  },
  async run(options) {
    const output = options.string('output') ?? SCHEMA_FILE;
    const sdl = printGraphSchema(buildRelationGraph(demoModels));
    if (options.flag('check')) {
      if (output === '-')
        throw new UsageError('option "--check" compares a file; give a file to --output, not -.');
      if ((await readOutput(output)) !== sdl) {
        throw new Error(`relgraph: ${output} differs from the models; run \`npm run schema:print\`.`);
      }
      console.log(`relgraph: ${output} matches the models`);
      return;
    }
    const written = await writeOutput(output, sdl);
    if (written) console.log(`relgraph: wrote ${written}`);
  },
};
