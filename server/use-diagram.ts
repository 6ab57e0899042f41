/** Serves the relationship diagram: `GET /diagram` (a page), `/diagram.svg` and `/diagram.mmd`. */
import type { Plugin } from 'graphql-yoga';
import { buildDiagram } from '../diagram/diagram-model.ts';
import { renderDiagramPage } from '../diagram/diagram-page.ts';
import { layoutDiagram } from '../diagram/layout.ts';
import { renderMermaid } from '../diagram/render-mermaid.ts';
import { renderSvg } from '../diagram/render-svg.ts';
import type { RelationGraph } from '../schema/graph.ts';

/** Renders the three documents once: the graph does not change while the server runs. */
export function useDiagram(graph: RelationGraph, graphqlPath: string): Plugin {
  const diagram = buildDiagram(graph);
  const svg = renderSvg(layoutDiagram(diagram));
  const documents = new Map([
    ['/diagram', { body: renderDiagramPage(diagram, svg, graphqlPath), type: 'text/html; charset=utf-8' }],
    ['/diagram.svg', { body: svg, type: 'image/svg+xml; charset=utf-8' }],
    ['/diagram.mmd', { body: renderMermaid(diagram), type: 'text/plain; charset=utf-8' }],
  ]);
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      const document = documents.get(url.pathname);
      if (!document || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : document.body, {
          headers: { 'content-type': document.type, 'cache-control': 'no-cache' },
        }),
      );
    },
  };
}
