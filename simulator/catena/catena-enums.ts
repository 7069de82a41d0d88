import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Catena's enums, read from the OpenAPI copies in simulator/contract/openapi so query filters and
 * webhook event names accept exactly what Catena accepts (166 TSP names, the full event list)
 * without a hand-kept copy that could drift from the contract tests.
 */

const openapiDir = new URL('../contract/openapi/', import.meta.url);

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(new URL(file, openapiDir), 'utf8')) as unknown;
}

const stringEnum = z.object({ enum: z.array(z.string()).min(1) });

const integrations = z
  .object({
    components: z.object({
      schemas: z.object({
        TspEnum: stringEnum,
        ResourceEnum: stringEnum,
        ResourceOperationTypeEnum: stringEnum,
        ConnectionStatusEnum: stringEnum,
      }),
    }),
  })
  .parse(readJson('integrations.openapi.json')).components.schemas;

const webhookSchemas = z
  .object({
    WebhookEventNameEnum: stringEnum,
    WebhookCatchAllEvents: stringEnum,
    WebhookStatusEnum: stringEnum,
  })
  .parse(readJson('excerpt-notifications-webhook-schemas.json'));

const asTuple = (values: string[]): [string, ...string[]] => values as [string, ...string[]];

export const TSP_NAMES = asTuple(integrations.TspEnum.enum);
export const RESOURCE_NAMES = asTuple(integrations.ResourceEnum.enum);
export const OPERATION_TYPES = ['create', 'update'] as const;
export const CONNECTION_STATUSES = asTuple(integrations.ConnectionStatusEnum.enum);

/** Names a subscription can be created with: concrete events and `.*` catch-alls. */
export const WEBHOOK_EVENT_NAMES = asTuple(webhookSchemas.WebhookEventNameEnum.enum);
export const WEBHOOK_SUBSCRIBABLE_NAMES = asTuple([
  ...new Set([...webhookSchemas.WebhookEventNameEnum.enum, ...webhookSchemas.WebhookCatchAllEvents.enum]),
]);
export const WEBHOOK_STATUSES = asTuple(webhookSchemas.WebhookStatusEnum.enum);

/**
 * `resource_operation.*` → created, succeeded, failed: one subscription per concrete event of the
 * same family. A concrete name expands to itself.
 */
export function expandEventName(name: string): string[] {
  if (!name.endsWith('.*')) return [name];
  const prefix = name.slice(0, -1);
  return WEBHOOK_EVENT_NAMES.filter((event) => event.startsWith(prefix) && !event.endsWith('.*'));
}
