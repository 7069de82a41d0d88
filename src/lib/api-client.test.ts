import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { server } from '../mocks/node.ts';
import { ApiError, apiGet, apiRequest } from './api-client.ts';

const thingSchema = z.object({ id: z.string(), count: z.number() });

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('api-client', () => {
  it('returns the parsed body of a valid answer, sending query parameters', async () => {
    server.use(
      http.get('/api/things', ({ request }) => {
        const url = new URL(request.url);
        return HttpResponse.json({ id: url.searchParams.getAll('status').join(','), count: 2 });
      }),
    );

    await expect(apiGet('/api/things', thingSchema, { query: { status: ['failed', 'pending'], q: undefined } })).resolves.toEqual({
      id: 'failed,pending',
      count: 2,
    });
  });

  it('sends JSON bodies', async () => {
    server.use(
      http.post('/api/things', async ({ request }) => {
        const body = await request.json();
        return HttpResponse.json({ id: JSON.stringify(body), count: request.headers.get('content-type') === 'application/json' ? 1 : 0 });
      }),
    );

    await expect(apiRequest('/api/things', thingSchema, { method: 'POST', json: { a: 1 } })).resolves.toEqual({
      id: '{"a":1}',
      count: 1,
    });
  });

  it("turns the server's error body into an ApiError with status, code, message and details", async () => {
    server.use(
      http.get('/api/things', () =>
        HttpResponse.json(
          { error: { code: 'validation_failed', message: '"from" must not be later than "to"', details: { path: ['from'] } } },
          { status: 400 },
        ),
      ),
    );

    const error = await caught(apiGet('/api/things', thingSchema));
    expect(error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: '"from" must not be later than "to"',
      details: { path: ['from'] },
    });
  });

  it('explains an error answer without the error body', async () => {
    server.use(http.get('/api/things', () => new HttpResponse('<html>Bad gateway</html>', { status: 502 })));

    const error = await caught(apiGet('/api/things', thingSchema));
    expect(error.status).toBe(502);
    expect(error.code).toBe('http_error');
    expect(error.message).toMatch(/not answering \(HTTP 502\)/);
  });

  it('returns the body of an error status the caller expects an answer with, unless it is an error body', async () => {
    server.use(http.post('/api/things', () => HttpResponse.json({ id: 'failed-op', count: 1 }, { status: 502 })));
    await expect(apiRequest('/api/things', thingSchema, { method: 'POST', answerStatuses: [502] })).resolves.toEqual({
      id: 'failed-op',
      count: 1,
    });

    server.use(
      http.post('/api/things', () => HttpResponse.json({ error: { code: 'upstream_error', message: 'Catena answered 500.' } }, { status: 502 })),
    );
    const error = await caught(apiRequest('/api/things', thingSchema, { method: 'POST', answerStatuses: [502] }));
    expect(error).toMatchObject({ status: 502, code: 'upstream_error', message: 'Catena answered 500.' });

    server.use(http.post('/api/things', () => new HttpResponse('<html>Bad gateway</html>', { status: 502 })));
    const gateway = await caught(apiRequest('/api/things', thingSchema, { method: 'POST', answerStatuses: [502] }));
    expect(gateway.code).toBe('http_error');
  });

  it('turns a network failure into an ApiError with a human message', async () => {
    server.use(http.get('/api/things', () => HttpResponse.error()));

    const error = await caught(apiGet('/api/things', thingSchema));
    expect(error.status).toBe(0);
    expect(error.isNetworkError).toBe(true);
    expect(error.message).toMatch(/could not reach the console server/i);
  });

  it('rejects an answer that does not match the schema', async () => {
    server.use(http.get('/api/things', () => HttpResponse.json({ id: 7 })));

    const error = await caught(apiGet('/api/things', thingSchema));
    expect(error.code).toBe('invalid_response');
    expect(error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: ['id'] })]));
  });

  it('only calls the console server', async () => {
    await expect(apiGet('https://api.example.com/v2/things', thingSchema)).rejects.toThrow(/only calls the console server/);
  });
});
