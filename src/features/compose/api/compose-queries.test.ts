import { MutationObserver, QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { connectionFixtures } from '../../../mocks/fixtures/connection-fixtures.ts';
import { userFixture } from '../../../mocks/fixtures/user-fixtures.ts';
import { operationDetailQueries, operationKeys } from '../../../lib/operation-detail-queries.ts';
import { composeMutations } from './compose-queries.ts';

describe('composeMutations.send', () => {
  it('puts the sent message in the drawer’s cache entry and refreshes the operations list', async () => {
    const northwind = connectionFixtures.find((connection) => connection.name === 'Northwind Freight');
    if (!northwind) throw new Error('no connection fixture Northwind Freight');
    const client = new QueryClient();
    client.setQueryData([...operationKeys.lists(), 'a page'], { items: [] });

    const operation = await new MutationObserver(client, composeMutations.send()).mutate({
      body: {
        connection_id: northwind.id,
        sender_id: userFixture('Erin Kowalski').id,
        recipient_id: userFixture('Tomasz Nowak').id,
        message_text: 'Dock 4 is free.',
      },
      idempotencyKey: 'compose-queries-test',
    });

    const detail = client.getQueryCache().find({ queryKey: operationDetailQueries.detail(operation.id).queryKey, exact: true });
    expect(detail?.state.data).toEqual(operation);
    expect(client.getQueryState([...operationKeys.lists(), 'a page'])?.isInvalidated).toBe(true);
  });
});
