import type { DemoTraffic, DemoTrafficRequest } from '../../contracts/demo-schemas.ts';
import type { SimTraffic } from './simulator-control.ts';

/**
 * The Demo page offers two streams of background traffic: other systems' writes of every resource,
 * and dispatchers' messages. The simulator has one generator with one rate and a weighted mix of
 * kinds, so the two rates become one rate and a mix: within each stream the kinds keep the
 * simulator's default proportions (simulator/traffic/traffic.ts, DEFAULT_MIX).
 */
const MESSAGE_KINDS: Record<string, number> = { message: 4, group_message: 1 };
const WRITE_KINDS: Record<string, number> = {
  vehicle_update: 3,
  vehicle_create: 1,
  trailer_update: 1,
  user_update: 1,
  fuel_transaction: 3,
  dvir_log: 2,
};

const sum = (weights: Record<string, number>) => Object.values(weights).reduce((total, weight) => total + weight, 0);

export function trafficRequest({ writes_per_minute: writes, messages_per_minute: messages }: DemoTrafficRequest): {
  rate_per_minute: number;
  mix: Record<string, number>;
} {
  const rate = writes + messages;
  // The simulator takes weights up to 100: scale so the whole adds up to 100.
  const scale = rate === 0 ? 0 : 100 / rate;
  const share = (kinds: Record<string, number>, perMinute: number) =>
    Object.fromEntries(Object.entries(kinds).map(([kind, weight]) => [kind, (weight / sum(kinds)) * perMinute * scale]));
  return { rate_per_minute: rate, mix: { ...share(MESSAGE_KINDS, messages), ...share(WRITE_KINDS, writes) } };
}

/** The simulator's traffic read back as the two streams (a mix set elsewhere reads as its shares). */
export function trafficView(traffic: SimTraffic): DemoTraffic {
  const weightOf = (kinds: Record<string, number>) => Object.keys(kinds).reduce((total, kind) => total + (traffic.mix[kind] ?? 0), 0);
  const messages = weightOf(MESSAGE_KINDS);
  const total = sum(Object.fromEntries(Object.entries(traffic.mix).filter(([, weight]) => weight > 0)));
  const round = (value: number) => Math.round(value * 10) / 10;
  const messagesPerMinute = total === 0 ? 0 : round((traffic.rate_per_minute * messages) / total);
  return {
    running: traffic.running,
    messages_per_minute: messagesPerMinute,
    writes_per_minute: round(traffic.rate_per_minute - messagesPerMinute),
    written: Math.max(0, Math.round(traffic.written)),
  };
}
