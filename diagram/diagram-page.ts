/** The page `GET /diagram` serves: the SVG inline, a key to its notation, links to the files. Nothing external. */
import type { Diagram } from './diagram-model.ts';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`);

/** An HTML document around `svg` that names every model and every link in words as well. */
export function renderDiagramPage(diagram: Diagram, svg: string, graphqlPath: string): string {
  const models = diagram.models.length;
  const links = diagram.links.length;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>relgraph — models and relations</title>
<style>
  body { margin: 0; font: 14px/1.5 system-ui, sans-serif; color: #0f172a; background: #f8fafc; }
  header, footer { padding: 12px 24px; }
  header h1 { font-size: 18px; margin: 0 0 4px; }
  main { overflow: auto; padding: 0 24px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0; }
  dt { font-family: monospace; font-weight: bold; }
  a { color: #1d4ed8; }
</style>
</head>
<body>
<header>
  <h1>${models} models, ${links} links</h1>
  Every model is a box with its fields (GraphQL types, <b>!</b> required; PK primary key, FK foreign key,
  UK unique). Every link runs from its foreign key to the key it references (the dot), labelled with
  its kind and, at each end, the relation that reaches that end and how many rows it finds there.
  Hover over a box or a link for its description.
</header>
<main>
${svg}</main>
<footer>
  <dl>
    <dt>1–1</dt><dd>one-to-one: the foreign key is unique</dd>
    <dt>1–n</dt><dd>one-to-many: many rows may hold the same key</dd>
    <dt>1</dt><dd>exactly one row (a required foreign key)</dd>
    <dt>0..1</dt><dd>at most one row (an optional foreign key, or the one side of 1–1)</dd>
    <dt>0..n</dt><dd>any number of rows</dd>
  </dl>
  The same diagram as <a href="/diagram.svg">SVG</a> or <a href="/diagram.mmd">Mermaid</a>;
  query it in <a href="${escapeHtml(graphqlPath)}">GraphiQL</a>.
</footer>
</body>
</html>
`;
}
