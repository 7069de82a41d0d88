import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** A tiny webhook endpoint on a loopback port that records what Catena (the simulator) delivers. */

export interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  /** The body as received (gzip). */
  raw: Buffer;
  /** The inflated JSON text (what the signature covers). */
  json: string;
  body: {
    version: string;
    event_name: string;
    webhook_id: string;
    timestamp: string | null;
    id: string;
    delivery_attempt: number;
    data: { id: string; status: string; logs?: unknown[]; [key: string]: unknown }[];
  };
  path: string;
}

export interface WebhookReceiver {
  url: string;
  deliveries: ReceivedDelivery[];
  close(): Promise<void>;
}

/** `respond` picks the status per delivery (default 202); it sees the delivery and how many came before it. */
export async function startWebhookReceiver(
  respond: (delivery: ReceivedDelivery, index: number) => number = () => 202,
  path = '/webhooks/catena',
): Promise<WebhookReceiver> {
  const deliveries: ReceivedDelivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let json = '';
      try {
        json = gunzipSync(raw).toString('utf8');
      } catch {
        json = raw.toString('utf8');
      }
      const delivery: ReceivedDelivery = {
        headers: req.headers,
        raw,
        json,
        body: JSON.parse(json || '{}') as ReceivedDelivery['body'],
        path: req.url ?? '',
      };
      const index = deliveries.length;
      deliveries.push(delivery);
      res.statusCode = respond(delivery, index);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    deliveries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
