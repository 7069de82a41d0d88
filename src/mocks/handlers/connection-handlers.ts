import { http, HttpResponse } from 'msw';
import { connectionFixtures } from '../fixtures/connection-fixtures.ts';

export const connectionHandlers = [http.get('/api/connections', () => HttpResponse.json({ items: connectionFixtures }))];
