import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { recordFixtures, recordViewFixtures } from '../../../../mocks/fixtures/record-fixtures.ts';
import { server } from '../../../../mocks/node.ts';
import { renderWithProviders } from '../../../../test/render.tsx';
import { OperationDrawer } from './operation-drawer.tsx';

async function open(id: string) {
  renderWithProviders(<OperationDrawer operationId={id} onClose={() => {}} onOpenOperation={() => {}} />);
  const drawer = await screen.findByRole('dialog', { name: /^Operation / });
  await within(drawer).findByRole('region', { name: 'Summary' });
  return drawer;
}

const row = (table: HTMLElement, name: RegExp | string) => within(table).getByRole('rowheader', { name }).closest('tr') as HTMLElement;

describe('the drawer reads every resource as a record', () => {
  it('a failed vehicle update: the record, what it changes against the record as it was, the field the TSP refused', async () => {
    const drawer = await open(recordFixtures.vehicleBadVin.id);
    expect(within(drawer).getByRole('heading', { name: 'Update vehicle' })).toBeVisible();
    const record = await within(drawer).findByRole('region', { name: /^Vehicle · Unit 7121/ });
    const facts = within(record).getByRole('table', { name: /Vehicle as it would be after this update/ });
    expect(row(facts, 'Name')).toHaveTextContent('Unit 7121');
    expect(row(facts, 'Plate')).toHaveTextContent('IL 4KTR552 (USA)');
    expect(row(facts, 'VIN')).toHaveTextContent('1FTFW1E5OOPS');
    expect(row(facts, 'VIN')).toHaveTextContent('Refused by Samsara');
    expect(row(facts, 'Status')).toHaveTextContent('In repair');

    const changes = await within(record).findByRole('table', { name: /What this update changes/ });
    const vin = row(changes, /VIN/);
    expect(
      within(vin)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['3AKJHHDR7NSLA4410', '1FTFW1E5OOPSRefused by Samsara']);
    expect(within(row(changes, /Status/)).getAllByRole('cell')[0]).toHaveTextContent('IN_SERVICE');

    const explanation = within(drawer).getByRole('region', { name: 'What went wrong, and what to do' });
    expect(within(explanation).getByText('Samsara rejected the VIN')).toBeVisible();
    expect(within(explanation).getByText(/^Check the VIN against/)).toBeVisible();
    // Raw JSON stays one click away.
    expect(within(drawer).getByText('Raw payload (JSON)')).toBeVisible();
  });

  it('says so when a newer update of the same record exists', async () => {
    const newer = 'd1e2f3a4-0b1c-4d2e-8f30-4a5b6c7d8eff';
    const fixture = recordViewFixtures[recordFixtures.vehicleBadVin.id];
    server.use(http.get('/api/operations/:id/record', () => HttpResponse.json({ ...fixture, newer_update_id: newer })));
    const drawer = await open(recordFixtures.vehicleBadVin.id);
    const note = await within(drawer).findByRole('note');
    expect(note).toHaveTextContent('A newer update of this vehicle exists');
    expect(within(note).getByRole('button', { name: 'Open the newer update' })).toBeEnabled();
  });

  it('a fuel transaction: driver and vehicle by name, volume and cost; Catena ids beside the TSP ids', async () => {
    const drawer = await open(recordFixtures.fuel.id);
    const record = await within(drawer).findByRole('region', { name: 'Fuel transaction' });
    const facts = within(record).getByRole('table', { name: /Fuel transaction as written/ });
    expect(row(facts, 'Driver')).toHaveTextContent('Tomasz Nowak');
    expect(await within(record).findByText('Unit 7121', { selector: 'td' })).toBeVisible();
    expect(row(facts, 'Volume')).toHaveTextContent('112.4 US gallons');
    expect(row(facts, 'Cost')).toHaveTextContent('431.62 USD');
    const ids = within(record).getByRole('table', { name: "Catena ids and Samsara's own" });
    const vehicle = row(ids, 'Vehicle');
    expect(vehicle).toHaveTextContent('Unit 7121');
    expect(vehicle).toHaveTextContent('281474977345112');
  });

  it('a DVIR: its defects, and a TSP id Catena could not resolve', async () => {
    const drawer = await open(recordFixtures.dvir.id);
    const record = await within(drawer).findByRole('region', { name: 'DVIR' });
    expect(
      within(within(record).getByRole('list', { name: 'Defects' }))
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['Tires', 'Lights front']);
    const ids = within(record).getByRole('table', { name: "Catena ids and Samsara's own" });
    expect(row(ids, 'Trailer')).toHaveTextContent('Not resolved');
  });
});

describe('resending a write that is not a message', () => {
  it('offers the same update again, named as what it is, when the server says it may be resent', async () => {
    const fixture = {
      ...recordFixtures.vehicleBadVin,
      resend: { verdict: 'resendable' as const, message: 'Failed: it can be resent.', newer_operation_id: null },
    };
    server.use(http.get(`/api/operations/${fixture.id}`, () => HttpResponse.json(fixture)));
    const { user } = renderWithProviders(<OperationDrawer operationId={fixture.id} onClose={() => {}} onOpenOperation={() => {}} />);
    const drawer = await screen.findByRole('dialog', { name: /^Operation / });
    await user.click(await within(drawer).findByRole('button', { name: 'Resend vehicle update…' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Resend this vehicle update?' });
    expect(confirm).toHaveTextContent('Sends the same vehicle update again, with the same fields');
    expect(within(confirm).getByRole('button', { name: 'Resend vehicle update' })).toBeInTheDocument();
  });
});
