import { http, HttpResponse } from 'msw';
import { adminSession } from '../fixtures/session-fixtures.ts';

export const sessionHandlers = [
  http.get('/api/session', () => HttpResponse.json(adminSession)),
  http.get('/api/session/options', () => HttpResponse.json({ demo_accounts: null })),
];
