import { expect, it } from 'vitest';
import { describeEachEngine } from '../../tests/support/store-engines.ts';
import { AccountStore } from '../access/account-store.ts';
import { AuditLog } from './audit-log.ts';

const account = (email: string, name: string) => ({ email, name, role: 'dispatcher' as const, password: 'a-long-enough-password' });
const GONE = '00000000-0000-4000-8000-00000000dead';

describeEachEngine('the audit log', (openStore) => {
  it('names the actor and an account target as they are called now, and says what every other target is', async () => {
    const store = await openStore();
    const accounts = new AccountStore(store);
    const audit = new AuditLog(store);
    const ana = await accounts.create(account('ana@fleet.test', 'Ana Lima'));
    const ben = await accounts.create(account('ben@fleet.test', 'Ben Okafor'));
    const asAna = { id: ana.id, email: ana.email };

    await audit.record({ actor: asAna, action: 'account_created', target: ben.email, details: { role: 'dispatcher' } });
    await audit.record({ actor: asAna, action: 'message_sent', target: 'op-1' });
    await audit.record({ actor: asAna, action: 'broadcast_created', target: 'bc-1' });
    await audit.record({ actor: asAna, action: 'resend_batch_started', target: 'rb-1' });
    await audit.record({ actor: asAna, action: 'incident_resend_armed', target: 'in-1' });
    await audit.record({ actor: asAna, action: 'demo_scenario_on', target: 'sc-1', details: { scenario: 'outage', tsp: 'geotab' } });
    await audit.record({ actor: asAna, action: 'demo_reset', target: null });
    await audit.record({ actor: asAna, action: 'webhooks_replayed', target: null, details: { reactivated: 1, replayed: 0 } });
    await audit.record({ actor: null, action: 'sign_in_failed', target: 'nobody@fleet.test' });
    await audit.record({ actor: null, action: 'sign_in_failed', target: ben.email });
    await audit.record({ actor: { id: GONE, email: 'gone@fleet.test' }, action: 'sign_in' });
    await audit.record({ actor: asAna, action: 'something_new', target: 'x-1' });
    // Renamed after the fact: the log reads the name it has now.
    await accounts.update(ana.id, { name: 'Ana Lima-Souza' });

    const { items } = await audit.list({ limit: 100 });
    expect(items.map(({ action, actor_name, actor_email, subject }) => ({ action, actor_name, actor_email, subject }))).toEqual([
      { action: 'something_new', actor_name: 'Ana Lima-Souza', actor_email: 'ana@fleet.test', subject: { kind: 'other', value: 'x-1' } },
      { action: 'sign_in', actor_name: null, actor_email: 'gone@fleet.test', subject: null },
      {
        action: 'sign_in_failed',
        actor_name: null,
        actor_email: null,
        subject: { kind: 'account', id: ben.id, email: ben.email, name: 'Ben Okafor' },
      },
      {
        action: 'sign_in_failed',
        actor_name: null,
        actor_email: null,
        subject: { kind: 'account', id: null, email: 'nobody@fleet.test', name: null },
      },
      { action: 'webhooks_replayed', actor_name: 'Ana Lima-Souza', actor_email: 'ana@fleet.test', subject: { kind: 'webhook_subscription' } },
      { action: 'demo_reset', actor_name: 'Ana Lima-Souza', actor_email: 'ana@fleet.test', subject: { kind: 'demo' } },
      {
        action: 'demo_scenario_on',
        actor_name: 'Ana Lima-Souza',
        actor_email: 'ana@fleet.test',
        subject: { kind: 'demo_scenario', id: 'sc-1', scenario: 'outage' },
      },
      { action: 'incident_resend_armed', actor_name: 'Ana Lima-Souza', actor_email: 'ana@fleet.test', subject: { kind: 'incident', id: 'in-1' } },
      { action: 'resend_batch_started', actor_name: 'Ana Lima-Souza', actor_email: 'ana@fleet.test', subject: { kind: 'resend_batch', id: 'rb-1' } },
      { action: 'broadcast_created', actor_name: 'Ana Lima-Souza', actor_email: 'ana@fleet.test', subject: { kind: 'broadcast', id: 'bc-1' } },
      { action: 'message_sent', actor_name: 'Ana Lima-Souza', actor_email: 'ana@fleet.test', subject: { kind: 'operation', id: 'op-1' } },
      {
        action: 'account_created',
        actor_name: 'Ana Lima-Souza',
        actor_email: 'ana@fleet.test',
        subject: { kind: 'account', id: ben.id, email: ben.email, name: 'Ben Okafor' },
      },
    ]);
  });

  it('filters and pages with the names joined in, a page at a time', async () => {
    const store = await openStore();
    const accounts = new AccountStore(store);
    const audit = new AuditLog(store);
    const ana = await accounts.create(account('ana@fleet.test', 'Ana Lima'));
    for (let index = 0; index < 5; index += 1)
      await audit.record({
        actor: { id: ana.id, email: ana.email },
        action: index % 2 ? 'message_sent' : 'sign_in',
        target: index % 2 ? `op-${index}` : null,
      });

    const first = await audit.list({ action: 'sign_in', limit: 2 });
    expect(first.items.map((entry) => [entry.action, entry.actor_name])).toEqual([
      ['sign_in', 'Ana Lima'],
      ['sign_in', 'Ana Lima'],
    ]);
    const rest = await audit.list({ action: 'sign_in', limit: 2, cursor: Number(first.next_cursor) });
    expect(rest.items).toHaveLength(1);
    expect(rest.next_cursor).toBeNull();
    expect((await audit.list({ actor_id: ana.id, limit: 100 })).items).toHaveLength(5);
  });
});
