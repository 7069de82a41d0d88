import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { errorBody } from '../http/http-error.ts';

/**
 * Serves the built SPA, and index.html for any other GET a browser makes (client-side routes,
 * deep links). /api and /webhooks paths that match no route get a JSON 404 instead.
 */
export async function registerSpaRoutes(app: FastifyInstance, staticDir: string): Promise<void> {
  const indexFile = path.join(staticDir, 'index.html');
  const built = existsSync(indexFile);
  if (built) {
    await app.register(fastifyStatic, {
      root: staticDir,
      // Files are looked up per request, so a rebuild is served without a restart.
      wildcard: true,
      index: 'index.html',
      // Source maps are never served, even from a build made with them: they go to the 404 below.
      allowedPath: (pathName) => !pathName.endsWith('.map'),
      // Vite names built assets by content hash: they can be cached for good; index.html never.
      setHeaders(reply, filePath) {
        reply.header('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }

  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    const isApi = url === '/api' || url.startsWith('/api/') || url.startsWith('/webhooks/');
    if (isApi || (request.method !== 'GET' && request.method !== 'HEAD')) {
      return reply.status(404).send(errorBody('not_found', `There is no ${request.method} ${url} in this API.`));
    }
    // A missing file (an old asset after a deploy) is a 404, not the app: a script must not get
    // HTML, and the tab that asked reloads to get the new build (src/app/missing-chunk.ts). The
    // 404 is never stored: during a rolling deploy a new build's file may be asked of a server
    // still on the old one, and a CDN keeping that 404 would break the file for everyone.
    if (url.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(url)) {
      return reply.status(404).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send('Not found.');
    }
    if (!built) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The console server is running, but the web app is not built. Run `npm run build` (npm start does it for you).');
    }
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').sendFile('index.html');
  });
}
