/**
 * Yoga plugin: CORS with an origin allow-list. A listed origin may call with credentials (cookies);
 * `*` lets any origin call without them; any other origin gets no CORS headers, so the browser keeps
 * the answer from the page. Answers every preflight itself (`OPTIONS`, 204).
 */
import type { Plugin } from 'graphql-yoga';

function corsHeaders(request: Request, origins: readonly string[]): Record<string, string> {
  const origin = request.headers.get('origin');
  // The answer depends on the Origin header: caches must not give one origin's answer to another.
  if (origin === null) return { vary: 'Origin' };
  const anyOrigin = origins.includes('*');
  if (!anyOrigin && !origins.includes(origin)) return { vary: 'Origin' };
  return {
    vary: 'Origin',
    'access-control-allow-origin': origin,
    ...(!anyOrigin && { 'access-control-allow-credentials': 'true' }),
    'access-control-allow-methods': 'GET, POST',
    'access-control-allow-headers': request.headers.get('access-control-request-headers') ?? 'content-type',
    'access-control-expose-headers': 'x-request-id',
    'access-control-max-age': '600',
  };
}

export function useCors(origins: readonly string[]): Plugin {
  return {
    onRequest({ request, fetchAPI, endResponse }) {
      if (request.method !== 'OPTIONS') return;
      // Safari waits for a body on a 204 without content-length: 0.
      const headers = { ...corsHeaders(request, origins), 'content-length': '0' };
      endResponse(new fetchAPI.Response(null, { status: 204, headers }));
    },
    onResponse({ request, response }) {
      for (const [name, value] of Object.entries(corsHeaders(request, origins)))
        response.headers.set(name, value);
    },
  };
}
