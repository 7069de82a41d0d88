import { describe, expect, it } from 'vitest';
import { DEFAULT_STUCK_AFTER_MINUTES, parseStuckThresholds } from './stuck-work.ts';

describe('STUCK_AFTER_MINUTES', () => {
  it('defaults to 10 minutes for a message and 30 for anything else', () => {
    expect(parseStuckThresholds(undefined)).toEqual({ default: 30, message: 10 });
    expect(parseStuckThresholds('  ')).toBe(DEFAULT_STUCK_AFTER_MINUTES);
  });

  it('takes a threshold per resource, and one for the rest', () => {
    expect(parseStuckThresholds('message=5, dvir_log=120,default=45')).toEqual({ default: 45, message: 5, dvir_log: 120 });
  });

  it('says what it cannot read', () => {
    expect(parseStuckThresholds('message=soon')).toMatch(/"message=soon" is not resource=minutes/);
    expect(parseStuckThresholds('message=0')).toMatch(/is not resource=minutes/);
    expect(parseStuckThresholds('Message=5')).toMatch(/is not resource=minutes/);
  });
});
