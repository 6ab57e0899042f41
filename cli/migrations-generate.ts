/** `npm run migrations:generate`: writes the SQL migration that brings models/migrations up to the models. */
import { generateMigration } from '../db/migrations.ts';
import { buildTables } from '../db/tables.ts';
import { demoModels } from '../models/index.ts';
import { buildRelationGraph } from '../schema/build-graph.ts';
import { type Command, UsageError } from './command.ts';
import { MIGRATIONS } from './demo-database.ts';

const NAME = /^[a-z0-9_]+$/;

export const migrationsGenerate: Command = {
  name: 'migrations:generate',
  aliases: ['generate'],
  summary: 'Write the next migration in models/migrations after a model change (commit it with the change).',
  details: [
    'Compares the models with the snapshot of the last migration and writes NNNN_<name>.sql with its',
    'snapshot, or says that nothing changed. A change it cannot decide alone (a rename) is refused with',
    'a message. Needs no database.',
  ].join('\n'),
  options: {
    name: {
      type: 'string',
      value: '<name>',
      description: 'Suffix of the file name: a-z, 0-9, _ (default: models).',
    },
  },
  async run(options) {
    const name = options.string('name');
    if (name !== undefined && !NAME.test(name)) {
      throw new UsageError(
        `option "--name" must be lowercase letters, digits and _ only; received "${name}".`,
      );
    }
    const file = await generateMigration(buildTables(buildRelationGraph(demoModels)), MIGRATIONS, name);
    console.log(file ? `relgraph: wrote ${file}` : 'relgraph: the migrations already match the models');
  },
};
