/** `npm run diagram`: writes the relationship diagram of the demo models as SVG or Mermaid. */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDiagram } from '../diagram/diagram-model.ts';
import { layoutDiagram } from '../diagram/layout.ts';
import { renderMermaid } from '../diagram/render-mermaid.ts';
import { renderSvg } from '../diagram/render-svg.ts';
import { demoModels } from '../models/index.ts';
import { buildRelationGraph } from '../schema/build-graph.ts';
import type { Command } from './command.ts';
import { writeOutput } from './output-file.ts';

const FORMATS = ['svg', 'mermaid'] as const;
const DEFAULT_FILE = { svg: 'docs/models.svg', mermaid: 'docs/models.mmd' } as const;

export const diagram: Command = {
  name: 'diagram',
  summary: 'Write the relationship diagram of the demo models (every model, field and link).',
  details: [
    'The same drawing the server shows on /diagram. docs/models.svg is committed and shown in the',
    'README; a test fails while it differs from the models. Needs no database.',
  ].join('\n'),
  options: {
    format: {
      type: 'string',
      value: '<svg|mermaid>',
      description: 'svg or mermaid (default: from the --output extension .mmd, else svg).',
    },
    output: {
      type: 'string',
      value: '<file>',
      description: 'Where to write it, - for standard output (default: docs/models.svg or docs/models.mmd).',
    },
  },
  async run(options) {
    const given = options.string('output');
    const format =
      options.choice('format', FORMATS) ?? (given && extname(given) === '.mmd' ? 'mermaid' : 'svg');
    const output = given ?? fileURLToPath(new URL(`../../${DEFAULT_FILE[format]}`, import.meta.url));
    const model = buildDiagram(buildRelationGraph(demoModels));
    const text = format === 'svg' ? renderSvg(layoutDiagram(model)) : renderMermaid(model);
    const written = await writeOutput(output, text);
    if (written) console.log(`relgraph: wrote ${written}`);
  },
};
