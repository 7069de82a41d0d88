import { http, HttpResponse } from 'msw';
import { apiErrorResponse } from '../api-error-response.ts';
import { armedIncidentFixture, openIncidentFixture } from '../fixtures/incident-fixtures.ts';

/**
 * /api/incidents: by default no provider is degraded (so no page shows a banner); a test switches
 * an incident on with `server.use(...)` and the fixtures. Arming the open fixture answers it armed.
 */
export const incidentHandlers = [
  http.get('/api/incidents', () => HttpResponse.json({ items: [] })),
  http.get('/api/incidents/:id', ({ params }) =>
    params.id === openIncidentFixture.id
      ? HttpResponse.json(openIncidentFixture)
      : apiErrorResponse(404, 'incident_not_found', `No provider incident ${String(params.id)} is known to the console.`),
  ),
  http.post('/api/incidents/:id/armed-resend', ({ params }) => {
    if (params.id !== openIncidentFixture.id)
      return apiErrorResponse(404, 'incident_not_found', `No provider incident ${String(params.id)} is known to the console.`);
    return HttpResponse.json(armedIncidentFixture, { status: 202 });
  }),
];
