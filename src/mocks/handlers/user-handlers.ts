import { http, HttpResponse } from 'msw';
import { connectionFixtures } from '../fixtures/connection-fixtures.ts';
import { userFixtures } from '../fixtures/user-fixtures.ts';

/** GET /api/users with the server's filters: `connection_id`, `role`, `q` (words in the name). */
export const userHandlers = [
  http.get('/api/users', ({ request }) => {
    const params = new URL(request.url).searchParams;
    const connectionId = params.get('connection_id')?.toLowerCase();
    if (connectionId && !connectionFixtures.some((connection) => connection.id === connectionId)) {
      return HttpResponse.json(
        { error: { code: 'connection_not_found', message: `No connection ${connectionId} is visible to this console.` } },
        { status: 404 },
      );
    }
    const role = params.get('role');
    const words = (params.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const items = userFixtures
      .filter((user) => !connectionId || user.connection_id === connectionId)
      .filter((user) => !role || user.role === role)
      .filter((user) => words.every((word) => `${user.name} ${user.username ?? ''}`.toLowerCase().includes(word)));
    return HttpResponse.json({ items });
  }),
];
