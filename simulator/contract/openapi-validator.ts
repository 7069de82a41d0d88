import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * Validates simulator answers against Catena's published OpenAPI schemas (copied in ./openapi/).
 * Each document's `components.schemas` is registered under an id (`integrations`, `orgs`, `auth`,
 * `telematics`, `notifications`), so `#/components/schemas/X` refs resolve inside it. The excerpt
 * files are maps of schema name → schema whose refs point into the integrations document; they are
 * merged over the integrations schemas into synthetic documents.
 */

type JsonObject = Record<string, unknown>;
export type ContractDoc = 'integrations' | 'orgs' | 'auth' | 'telematics' | 'notifications';

const dir = new URL('./openapi/', import.meta.url);
const load = (file: string): JsonObject => JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as JsonObject;
const schemasOf = (doc: JsonObject): JsonObject => (doc['components'] as { schemas: JsonObject }).schemas;

export function loadContractSchemas(): Record<ContractDoc, JsonObject> {
  const integrations = schemasOf(load('integrations.openapi.json'));
  const events = load('excerpt-notifications-resource-operation-events.json');
  const succeeded = events['ResourceOperationSucceeded'] as JsonObject;
  // The excerpt has only a note for the failed/created envelopes ("identical envelope"); build them from succeeded.
  const envelopeFor = (eventName: string, title: string): JsonObject => ({
    ...succeeded,
    title,
    properties: { ...(succeeded['properties'] as JsonObject), event_name: { type: 'string', const: eventName } },
  });
  return {
    integrations,
    orgs: schemasOf(load('orgs.openapi.json')),
    auth: schemasOf(load('authentication.openapi.json')),
    telematics: {
      ...integrations,
      ...load('excerpt-telematics-schemas.json'),
      ...schemasOf(load('excerpt-telematics-writes.json')),
      // Referenced by UserCreate but not transcribed in the excerpt (its `referenced_but_not_included`).
      HosRulesetCodeEnum: { type: 'string' },
      HosTrackingMethodEnum: { type: 'string', enum: ['manual', 'automatic'] },
    },
    notifications: {
      ...integrations,
      ...load('excerpt-notifications-webhook-schemas.json'),
      // Webhook operations: WebhookMetrics, TimePeriodMetric, the logs page, WebhookStaled.
      ...schemasOf(load('excerpt-notifications-webhook-ops.json')),
      // Not transcribed in the excerpt; the fields of SDK doc BaseWebhookEvent.md (its x-not-transcribed note).
      BaseWebhookEvent: {
        type: 'object',
        required: ['id', 'url', 'event_name', 'status'],
        properties: {
          id: { type: 'string' },
          url: { type: 'string' },
          event_name: { $ref: '#/components/schemas/WebhookEventNameEnum' },
          filters: { anyOf: [{ $ref: '#/components/schemas/WebhookFilters' }, { type: 'null' }] },
          status: { $ref: '#/components/schemas/WebhookStatusEnum' },
        },
        additionalProperties: false,
      },
      ...events,
      ResourceOperationSucceeded: envelopeFor('resource_operation.succeeded', 'ResourceOperationSucceeded'),
      ResourceOperationFailed: envelopeFor('resource_operation.failed', 'ResourceOperationFailed'),
      ResourceOperationCreated: envelopeFor('resource_operation.created', 'ResourceOperationCreated'),
    },
  };
}

export interface ContractValidator {
  /** The schema as registered (for property lists). */
  schema(doc: ContractDoc, name: string): JsonObject;
  /** Error messages; empty when `data` matches. Throws if the schema does not exist. */
  errors(doc: ContractDoc, name: string, data: unknown): string[];
  /** Registers an extra schema in a document (e.g. one built from an excerpt's field list). */
  add(doc: ContractDoc, name: string, schema: JsonObject): void;
}

export function createContractValidator(): ContractValidator {
  const docs = loadContractSchemas();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  // Formats used by the specs that ajv-formats does not know; they carry no rule worth checking here.
  ajv.addFormat('phone', true);
  ajv.addFormat('password', true);
  for (const [id, schemas] of Object.entries(docs)) ajv.addSchema({ $id: id, components: { schemas } });
  return {
    schema(doc, name) {
      const found = docs[doc][name];
      if (!found || typeof found !== 'object') throw new Error(`no schema ${doc}#/components/schemas/${name}`);
      return found as JsonObject;
    },
    errors(doc, name, data) {
      this.schema(doc, name);
      const validate = ajv.getSchema(`${doc}#/components/schemas/${name}`);
      if (!validate) throw new Error(`cannot compile ${doc}#/components/schemas/${name}`);
      if (validate(data)) return [];
      return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
    },
    add(doc, name, schema) {
      docs[doc][name] = schema;
      ajv.removeSchema(doc);
      ajv.addSchema({ $id: doc, components: { schemas: docs[doc] } });
    },
  };
}

/** Field names in `data` that the schema does not list: a misspelt or invented field shows up here. */
export function unknownKeys(data: unknown, ...schemas: JsonObject[]): string[] {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return [];
  const known = new Set(schemas.flatMap((s) => Object.keys((s['properties'] as JsonObject | undefined) ?? {})));
  return Object.keys(data).filter((key) => !known.has(key));
}
