import { z } from 'zod';

/**
 * Demo mode (decision 0047): what the console relays between the Demo page and the simulator's
 * control API. Only a console whose upstream is the simulator has these routes.
 */

export const demoScenarios = ['outage', 'expired_credentials', 'flaky_network', 'slow'] as const;
export const demoScenarioSchema = z.enum(demoScenarios);
export type DemoScenario = z.infer<typeof demoScenarioSchema>;

/** Highest rate each stream of background traffic takes, per minute (the simulator takes 600 in all). */
export const DEMO_TRAFFIC_MAX_PER_MINUTE = 300;

export const demoScenarioOnSchema = z.object({
  id: z.string(),
  scenario: demoScenarioSchema,
  /** Exactly one of the two: one connection, or every connection of one TSP. */
  connection_id: z.string().nullable(),
  tsp: z.string().nullable(),
  created_at: z.string(),
});
export type DemoScenarioOn = z.infer<typeof demoScenarioOnSchema>;

export const demoConnectionSchema = z.object({
  id: z.string(),
  fleet_name: z.string(),
  tsp: z.string(),
  status: z.string(),
});
export type DemoConnection = z.infer<typeof demoConnectionSchema>;

export const demoTrafficSchema = z.object({
  running: z.boolean(),
  /** Writes of every resource (vehicles, trailers, users, fuel, DVIRs) from the fleets' other systems. */
  writes_per_minute: z.number().nonnegative(),
  /** Messages to drivers from the fleets' dispatchers (every dispatcher of a fleet, in turn at random). */
  messages_per_minute: z.number().nonnegative(),
  /** Writes made since traffic was last reset. */
  written: z.number().int().nonnegative(),
});
export type DemoTraffic = z.infer<typeof demoTrafficSchema>;

export const demoStateSchema = z.object({
  scenarios: z.array(demoScenarioOnSchema),
  connections: z.array(demoConnectionSchema),
  traffic: demoTrafficSchema,
});
export type DemoState = z.infer<typeof demoStateSchema>;

export const demoScenarioRequestSchema = z
  .object({
    scenario: demoScenarioSchema,
    connection_id: z.string().trim().min(1).optional(),
    tsp: z.string().trim().min(1).optional(),
  })
  .refine((body) => (body.connection_id === undefined) !== (body.tsp === undefined), {
    message: 'Give either connection_id (one connection) or tsp (all its connections), not both or neither',
  });
export type DemoScenarioRequest = z.infer<typeof demoScenarioRequestSchema>;

const ratePerMinute = z
  .number({ error: 'Give the rate as a number per minute' })
  .min(0, 'A rate cannot be negative')
  .max(DEMO_TRAFFIC_MAX_PER_MINUTE, `At most ${DEMO_TRAFFIC_MAX_PER_MINUTE} a minute`);

/** Both 0 stops the traffic. */
export const demoTrafficRequestSchema = z.object({
  writes_per_minute: ratePerMinute,
  messages_per_minute: ratePerMinute,
});
export type DemoTrafficRequest = z.infer<typeof demoTrafficRequestSchema>;
