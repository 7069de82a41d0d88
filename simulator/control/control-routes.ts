import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Directory } from '../directory/directory-store.ts';
import { notFound } from '../http/catena-errors.ts';
import { readJsonBody } from '../http/json-body.ts';
import { queryGuid } from '../http/query-params.ts';
import { parseInput } from '../http/request-validation.ts';
import { isoTime } from '../lib/time.ts';
import { TSP_NAMES_SIMULATED, TSP_PROFILES } from '../processing/tsp-profiles.ts';
import { SCENARIO_KINDS, type Scenario, type ScenarioStore } from '../scenarios/scenario-store.ts';
import { trafficBodySchema, type TrafficGenerator } from '../traffic/traffic.ts';
import type { DeliveryAttempt } from '../webhooks/webhook-delivery.ts';
import type { SimSettings } from './sim-settings.ts';

/**
 * The control API under /_sim/: not Catena's, no auth, no rate limit. Demos and tests use it to
 * switch failures on and off, change timing and go back to the seed.
 */

const scenarioBody = z
  .object({
    scenario: z.enum(SCENARIO_KINDS),
    connection_id: z
      .guid()
      .transform((id) => id.toLowerCase())
      .optional(),
    tsp: z.enum(TSP_NAMES_SIMULATED).optional(),
  })
  .refine((body) => (body.connection_id === undefined) !== (body.tsp === undefined), {
    message: 'Give exactly one of connection_id or tsp',
  });

const settingsBody = z.object({
  time_scale: z.number().positive().max(1000).optional(),
  api_rate_limit_per_second: z.number().int().min(1).max(100_000).optional(),
  /** Catena's 15-minute grace before the stale circuit breaker judges a new or changed subscription; tests set 0. */
  webhook_stale_grace_seconds: z.number().min(0).max(86_400).optional(),
});

const scenarioParams = z.object({ scenario_id: z.guid() });
const deliveriesQuery = z.object({ webhook_id: queryGuid() });

export interface ControlDeps {
  settings: SimSettings;
  directory: Directory;
  scenarios: ScenarioStore;
  partnerId: string;
  applySettings: (changes: Partial<SimSettings>) => void;
  reset: () => void;
  deliveries: () => readonly DeliveryAttempt[];
  traffic: TrafficGenerator;
}

const scenarioView = (s: Scenario) => ({
  id: s.id,
  scenario: s.scenario,
  connection_id: s.connection_id,
  tsp: s.tsp,
  created_at: isoTime(s.created_at),
});

export function registerControlRoutes(app: FastifyInstance, deps: ControlDeps): void {
  const settingsView = () => ({
    time_scale: deps.settings.timeScale,
    api_rate_limit_per_second: deps.settings.apiRateLimitPerSecond,
    webhook_stale_grace_seconds: deps.settings.webhookStaleGraceMs / 1000,
  });

  const state = () => ({
    ...settingsView(),
    partner_id: deps.partnerId,
    scenarios: deps.scenarios.list().map(scenarioView),
    connections: deps.directory.connections.map((c) => {
      const fleet = deps.directory.fleetOf(c);
      return { id: c.id, fleet_id: fleet.id, fleet_name: fleet.display_name, fleet_ref: fleet.fleet_ref, tsp: c.tsp, status: c.status };
    }),
    tsp_profiles: Object.values(TSP_PROFILES).map((p) => ({
      tsp: p.name,
      latency_ms: p.latencyMs,
      rate_per_second: p.ratePerSecond,
      max_message_chars: p.maxMessageChars,
    })),
  });

  app.get('/_sim/health', async () => ({ ok: true }));

  app.get('/_sim/state', async () => state());

  app.post('/_sim/scenarios', async (request, reply) => {
    const body = parseInput(scenarioBody, readJsonBody(request), 'body');
    let target: { connection_id: string } | { tsp: (typeof TSP_NAMES_SIMULATED)[number] };
    if (body.connection_id !== undefined) {
      if (!deps.directory.connection(body.connection_id)) throw notFound(`Connection ${body.connection_id} not found`);
      target = { connection_id: body.connection_id };
    } else {
      target = { tsp: body.tsp as (typeof TSP_NAMES_SIMULATED)[number] };
    }
    const { scenario, created } = deps.scenarios.add(body.scenario, target, Date.now());
    // The same scenario on the same target twice is one scenario: 200 with the existing one.
    return reply.code(created ? 201 : 200).send(scenarioView(scenario));
  });

  app.delete('/_sim/scenarios/:scenario_id', async (request, reply) => {
    const { scenario_id } = parseInput(scenarioParams, request.params, 'path');
    if (!deps.scenarios.remove(scenario_id)) throw notFound(`Scenario ${scenario_id} not found`);
    return reply.code(204).send();
  });

  app.delete('/_sim/scenarios', async (_request, reply) => {
    deps.scenarios.clear();
    return reply.code(204).send();
  });

  app.put('/_sim/settings', async (request) => {
    const body = parseInput(settingsBody, readJsonBody(request), 'body');
    deps.applySettings({
      ...(body.time_scale !== undefined && { timeScale: body.time_scale }),
      ...(body.api_rate_limit_per_second !== undefined && { apiRateLimitPerSecond: body.api_rate_limit_per_second }),
      ...(body.webhook_stale_grace_seconds !== undefined && { webhookStaleGraceMs: Math.round(body.webhook_stale_grace_seconds * 1000) }),
    });
    return settingsView();
  });

  app.post('/_sim/reset', async () => {
    deps.reset();
    return state();
  });

  app.get('/_sim/traffic', async () => deps.traffic.view());

  app.put('/_sim/traffic', async (request) => {
    deps.traffic.set(parseInput(trafficBodySchema, readJsonBody(request), 'body'));
    return deps.traffic.view();
  });

  app.get('/_sim/deliveries', async (request) => {
    const { webhook_id } = parseInput(deliveriesQuery, request.query, 'query');
    const attempts = deps.deliveries().filter((a) => webhook_id === undefined || a.webhook_id === webhook_id.toLowerCase());
    return { items: [...attempts].reverse() };
  });
}
