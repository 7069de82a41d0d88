import { expect, it } from 'vitest';
import { describeEachEngine } from '../../tests/support/store-engines.ts';
import { openSharedStores } from '../../tests/support/shared-store.ts';
import { StoreRefusal } from '../db/store-refusal.ts';
import { AccountStore } from './account-store.ts';

const account = (email: string) => ({ email, name: 'Ana Lima', role: 'dispatcher' as const, password: 'a-long-enough-password' });

describeEachEngine('the account store', (openStore, engine) => {
  it('refuses an account for an email another account has, however it is written', async () => {
    const accounts = new AccountStore(await openStore());
    const ana = await accounts.create(account('ana@fleet.test'));
    expect(ana).toMatchObject({ email: 'ana@fleet.test', role: 'dispatcher', disabled: false });

    for (const email of ['ana@fleet.test', '  Ana@Fleet.TEST ']) {
      const refused = accounts.create(account(email));
      await expect(refused).rejects.toThrow(StoreRefusal);
      await expect(refused).rejects.toMatchObject({ code: 'email_taken', details: { field: 'email' } });
    }
    expect(await accounts.list()).toEqual([ana]);
  });

  it('of two servers creating one email at once, one creates it and the other is refused', async () => {
    const [a, b] = (await openSharedStores(engine)).map((database) => new AccountStore(database));
    const results = await Promise.allSettled([a!.create(account('ben@fleet.test')), b!.create(account('ben@fleet.test'))]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const refused = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(StoreRefusal);
    expect(refused[0]).toMatchObject({ code: 'email_taken' });
    expect(await a!.count()).toBe(1);
  });

  it('refuses to update an account that does not exist', async () => {
    const accounts = new AccountStore(await openStore());
    await expect(accounts.update('00000000-0000-4000-8000-000000000000', { name: 'Nobody' })).rejects.toMatchObject({ code: 'account_not_found' });
  });

  it('keeps one active admin: the last one cannot be demoted or disabled, nor can two admins demote each other at once on two servers', async () => {
    const [a, b] = (await openSharedStores(engine)).map((database) => new AccountStore(database));
    const first = await a!.create({ ...account('first@fleet.test'), role: 'admin' });
    await expect(a!.update(first.id, { role: 'viewer' })).rejects.toMatchObject({ code: 'last_admin' });
    await expect(a!.update(first.id, { disabled: true })).rejects.toMatchObject({ code: 'last_admin' });
    const second = await a!.create({ ...account('second@fleet.test'), role: 'admin' });
    const results = await Promise.allSettled([a!.update(first.id, { role: 'viewer' }), b!.update(second.id, { role: 'viewer' })]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((result) => result.status === 'rejected')).toMatchObject({ reason: { code: 'last_admin' } });
    expect((await a!.list()).filter((member) => member.role === 'admin' && !member.disabled)).toHaveLength(1);
  });
});
