import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type RunningConsole } from '../support/console-server.ts';

/**
 * Clients that open a connection and then dawdle are dropped, so a few hundred of them cannot
 * hold every socket. The timeouts are made short here; the defaults are 30 s and 10 s.
 */
let consoleServer: RunningConsole;
let port: number;
const REQUEST_TIMEOUT_MS = 1_000;
const MAX_PER_ADDRESS = 8;

beforeAll(async () => {
  consoleServer = await startConsole({
    catenaUrl: 'http://127.0.0.1:9',
    http: { requestTimeoutMs: REQUEST_TIMEOUT_MS, headersTimeoutMs: 800, keepAliveTimeoutMs: 500, maxConnectionsPerAddress: MAX_PER_ADDRESS },
  });
  port = Number(new URL(consoleServer.url).port);
});
afterAll(async () => {
  await consoleServer?.close();
});

/** Opens a raw connection, writes `sent`, and resolves with what came back once the server closed it (or null if it did not within `withinMs`). */
function dawdle(sent: string, withinMs: number): Promise<{ closed: boolean; answer: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ closed: false, answer });
    }, withinMs);
    socket.on('connect', () => socket.write(sent));
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ closed: true, answer });
    });
  });
}

const host = () => `127.0.0.1:${port}`;

describe('slow clients', () => {
  it.each([
    [
      'a body that never finishes',
      () => `POST /api/session HTTP/1.1\r\nHost: ${host()}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"email":`,
    ],
    ['headers that never finish', () => `GET /api/health/live HTTP/1.1\r\nHost: ${host()}\r\nX-Slow: `],
    ['a connection that sends nothing', () => ''],
    ['an idle kept-alive connection', () => `GET /api/health/live HTTP/1.1\r\nHost: ${host()}\r\n\r\n`],
  ])('drops %s within a few seconds', async (_case, request) => {
    const outcome = await dawdle(request(), 6_000);
    expect(outcome.closed).toBe(true);
  });

  it('tells a client whose body never finished that it took too long (408)', async () => {
    const outcome = await dawdle(
      `POST /api/session HTTP/1.1\r\nHost: ${host()}\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{`,
      6_000,
    );
    expect(outcome.answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it(`lets one address hold at most ${MAX_PER_ADDRESS} connections, and others again once they close`, async () => {
    const held: Socket[] = [];
    for (let i = 0; i < MAX_PER_ADDRESS; i += 1) {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.once('connect', resolve));
      held.push(socket);
    }
    // Let the server see every one of them before the next.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const oneTooMany = await dawdle(`GET /api/health/live HTTP/1.1\r\nHost: ${host()}\r\n\r\n`, 3_000);
    expect(oneTooMany).toEqual({ closed: true, answer: '' });

    for (const socket of held) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const response = await fetch(`${consoleServer.url}/api/health/live`);
    expect(response.status).toBe(200);
  });
});
