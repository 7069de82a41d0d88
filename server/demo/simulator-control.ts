import { z } from 'zod';
import { demoScenarios, type DemoScenario } from '../../contracts/demo-schemas.ts';
import { HttpError } from '../http/http-error.ts';

/**
 * The simulator's control API (simulator/control/control-routes.ts), spoken over HTTP like any
 * upstream: the server never imports the simulator. Every answer is checked with zod; a simulator
 * that does not answer is a 503, one that answers nonsense a 502, both in words.
 */

const TIMEOUT_MS = 5_000;

const simScenarioSchema = z.object({
  id: z.string(),
  scenario: z.string(),
  connection_id: z.string().nullable(),
  tsp: z.string().nullable(),
  created_at: z.string(),
});
export type SimScenario = z.infer<typeof simScenarioSchema>;

const simStateSchema = z.object({
  scenarios: z.array(simScenarioSchema),
  connections: z.array(z.object({ id: z.string(), fleet_name: z.string(), tsp: z.string(), status: z.string() })),
});
export type SimState = z.infer<typeof simStateSchema>;

const simTrafficSchema = z.object({
  rate_per_minute: z.number(),
  mix: z.record(z.string(), z.number()),
  running: z.boolean(),
  written: z.number(),
});
export type SimTraffic = z.infer<typeof simTrafficSchema>;

/** A scenario kind this console knows; one the simulator grew later is left out of the page. */
export function isDemoScenario(kind: string): kind is DemoScenario {
  return (demoScenarios as readonly string[]).includes(kind);
}

export class SimulatorControl {
  constructor(private readonly baseUrl: string) {}

  state(): Promise<SimState> {
    return this.call('GET', '/state', undefined, simStateSchema);
  }

  addScenario(body: { scenario: DemoScenario; connection_id: string } | { scenario: DemoScenario; tsp: string }): Promise<SimScenario> {
    return this.call('POST', '/scenarios', body, simScenarioSchema);
  }

  /** False when the simulator has no such scenario (already off). */
  async removeScenario(id: string): Promise<boolean> {
    try {
      await this.send('DELETE', `/scenarios/${encodeURIComponent(id)}`, undefined);
      return true;
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 404) return false;
      throw error;
    }
  }

  traffic(): Promise<SimTraffic> {
    return this.call('GET', '/traffic', undefined, simTrafficSchema);
  }

  setTraffic(body: { rate_per_minute: number; mix: Record<string, number> }): Promise<SimTraffic> {
    return this.call('PUT', '/traffic', body, simTrafficSchema);
  }

  async reset(): Promise<void> {
    await this.call('POST', '/reset', undefined, simStateSchema);
  }

  private async call<T>(method: string, path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    const text = await this.send(method, path, body);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new HttpError(
        502,
        'simulator_invalid_response',
        'The simulator answered in a form this console does not read. Are console and simulator from the same version?',
      );
    return parsed.data;
  }

  /** The answer's text, or the HttpError it means for the Demo page. */
  private async send(method: string, path: string, body: unknown): Promise<string> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw new HttpError(
        503,
        'simulator_unreachable',
        'The simulator does not answer, so demo controls cannot change anything. Is it still running? `npm start` starts it with the console.',
      );
    }
    const text = await response.text();
    if (response.status === 404) throw new HttpError(404, 'not_found', simulatorDetail(text) ?? 'The simulator does not know that.');
    if (response.status >= 400 && response.status < 500) {
      throw new HttpError(400, 'simulator_refused', `The simulator refused this: ${simulatorDetail(text) ?? `status ${response.status}`}.`);
    }
    if (!response.ok)
      throw new HttpError(502, 'simulator_error', `The simulator failed (status ${response.status}). Try again; if it persists, restart the demo.`);
    return text;
  }
}

/** The simulator's own words, from its Catena-shaped error body (`detail` a string or a list). */
function simulatorDetail(text: string): string | null {
  try {
    const body: unknown = JSON.parse(text);
    const parsed = z.object({ detail: z.union([z.string(), z.array(z.object({ message: z.string() }))]).nullish() }).safeParse(body);
    if (!parsed.success || !parsed.data.detail) return null;
    return typeof parsed.data.detail === 'string' ? parsed.data.detail : parsed.data.detail.map((d) => d.message).join('; ');
  } catch {
    return null;
  }
}
