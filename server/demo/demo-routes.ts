import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { demoScenarioRequestSchema, demoTrafficRequestSchema, type DemoState } from '../../contracts/demo-schemas.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { HttpError, parseInput } from '../http/http-error.ts';
import { trafficRequest, trafficView } from './demo-traffic.ts';
import { isDemoScenario, type SimulatorControl } from './simulator-control.ts';

/**
 * Demo mode (decision 0047): admins switch the simulator's failures and background traffic from
 * the Demo page instead of curl. Registered only when the upstream is the simulator; with real
 * Catena there are no such routes (404). Every change is audited, like any other write.
 */
type Deps = {
  control: SimulatorControl;
  audit: AuditLog;
  /** A demo reset puts the simulator back to its seed; the console checks its webhook subscription at once. */
  afterReset: () => Promise<void>;
};

const scenarioParams = z.object({ scenario_id: z.string().regex(/^[0-9a-f-]{36}$/i, 'Give a scenario id from GET /api/demo') });

export function registerDemoRoutes(app: FastifyInstance, deps: Deps): void {
  const state = async (): Promise<DemoState> => {
    const [sim, traffic] = await Promise.all([deps.control.state(), deps.control.traffic()]);
    return {
      scenarios: sim.scenarios.flatMap((s) => (isDemoScenario(s.scenario) ? [{ ...s, scenario: s.scenario }] : [])),
      connections: sim.connections,
      traffic: trafficView(traffic),
    };
  };

  app.get('/api/demo', { config: { access: 'admin' } }, async () => state());

  app.post('/api/demo/scenarios', { config: { access: 'admin' } }, async (request, reply) => {
    const body = parseInput(demoScenarioRequestSchema, request.body, 'scenario');
    // Checked here rather than left to the simulator, so the answer names what is wrong.
    const { connections } = await deps.control.state();
    const target = body.connection_id !== undefined ? { connection_id: body.connection_id.toLowerCase() } : { tsp: (body.tsp ?? '').toLowerCase() };
    if ('connection_id' in target && !connections.some((c) => c.id === target.connection_id)) {
      throw new HttpError(
        404,
        'connection_not_found',
        'The simulator has no such connection. Reload the Demo page: a reset may have changed the fleets.',
      );
    }
    if ('tsp' in target && !connections.some((c) => c.tsp === target.tsp)) {
      const known = [...new Set(connections.map((c) => c.tsp))].join(', ');
      throw new HttpError(400, 'unknown_tsp', `No connection of the simulator is on ${target.tsp}; its TSPs are ${known}.`);
    }
    const scenario = await deps.control.addScenario({ scenario: body.scenario, ...target });
    await deps.audit.record({
      actor: request.user,
      action: 'demo_scenario_on',
      target: scenario.id,
      details: { scenario: body.scenario, ...target },
      ip: request.ip,
    });
    return reply.code(201).send(scenario);
  });

  app.delete('/api/demo/scenarios/:scenario_id', { config: { access: 'admin' } }, async (request, reply) => {
    const { scenario_id } = parseInput(scenarioParams, request.params, 'path');
    const { scenarios } = await deps.control.state();
    const scenario = scenarios.find((s) => s.id === scenario_id.toLowerCase());
    if (!scenario || !(await deps.control.removeScenario(scenario.id))) {
      throw new HttpError(404, 'scenario_not_found', 'That scenario is already off (someone switched it off, or the demo was reset).');
    }
    await deps.audit.record({
      actor: request.user,
      action: 'demo_scenario_off',
      target: scenario.id,
      details: { scenario: scenario.scenario, connection_id: scenario.connection_id, tsp: scenario.tsp },
      ip: request.ip,
    });
    return reply.code(204).send();
  });

  app.put('/api/demo/traffic', { config: { access: 'admin' } }, async (request) => {
    const body = parseInput(demoTrafficRequestSchema, request.body, 'traffic');
    const traffic = trafficView(await deps.control.setTraffic(trafficRequest(body)));
    await deps.audit.record({ actor: request.user, action: 'demo_traffic_set', target: null, details: { ...body }, ip: request.ip });
    return traffic;
  });

  app.post('/api/demo/reset', { config: { access: 'admin' } }, async (request) => {
    await deps.control.reset();
    await deps.audit.record({ actor: request.user, action: 'demo_reset', target: null, details: null, ip: request.ip });
    await deps.afterReset();
    return state();
  });
}
