import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { operationDetailFixtures } from '../../../../mocks/fixtures/operation-detail-fixtures.ts';
import { usePreferencesStore } from '../../../../stores/preferences-store.ts';
import { PayloadView } from './payload-view.tsx';

afterEach(() => usePreferencesStore.getState().setPresenter(false));

describe('presenter mode masks personal data', () => {
  it('in the raw payload of a write', async () => {
    usePreferencesStore.getState().setPresenter(true);
    const userUpdate = {
      ...operationDetailFixtures.vehicleUpdate,
      resource: 'user',
      payload: { first_name: 'Abdi', phone_number: '+1 (815) 555-0142', license_number: 'D123-4567-8901', email: 'abdi.price@example.com' },
    };
    render(<PayloadView operation={userUpdate} users={{ byId: new Map(), loading: false, failed: false }} tsp="Samsara" />);
    const raw = screen.getByText(/"phone_number"/);
    expect(raw).toHaveTextContent('"phone_number": "••• ••• ••42"');
    expect(raw).toHaveTextContent('"license_number": "••••••••"');
    expect(raw).toHaveTextContent('"email": "a•••@•••"');
    expect(raw).toHaveTextContent('"first_name": "Abdi"');
    expect(raw).not.toHaveTextContent('555-0142');
  });
});
