import { http, HttpResponse } from 'msw';
import type { Health } from '../../../contracts/health-schemas.ts';
import { healthyFixture } from '../fixtures/health-fixtures.ts';

export const healthHandlers = [http.get('/api/health', () => HttpResponse.json<Health>(healthyFixture()))];
