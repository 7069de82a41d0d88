import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseIsoDatetime } from '../http/query-params.ts';

/**
 * The write bodies (VehicleCreate, UserUpdate, FuelTransactionCreate …) as zod schemas, built from
 * the copy of Catena's own schemas in contract/openapi/excerpt-telematics-writes.json, so the
 * simulator accepts and refuses exactly what the contract says: no hand-kept list of fields.
 * Only the JSON-schema features those schemas use are read (types, formats, patterns, bounds,
 * enums by $ref, nullable by anyOf). Unknown body fields are dropped, as pydantic does.
 */

type JsonSchema = {
  type?: string;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  enum?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  $ref?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

const excerpt = JSON.parse(readFileSync(new URL('../contract/openapi/excerpt-telematics-writes.json', import.meta.url), 'utf8')) as {
  components: { schemas: Record<string, JsonSchema> };
};
const schemas = excerpt.components.schemas;

/** Referenced by UserCreate but not in the excerpt (see its `referenced_but_not_included`): any string. */
const NOT_TRANSCRIBED = new Set(['HosRulesetCodeEnum', 'HosTrackingMethodEnum']);

const lowerGuid = () => z.guid().transform((id) => id.toLowerCase());

function toZod(schema: JsonSchema): z.ZodType {
  if (schema.$ref) {
    const name = schema.$ref.split('/').at(-1) ?? '';
    if (NOT_TRANSCRIBED.has(name)) return z.string();
    const target = schemas[name];
    if (!target) throw new Error(`write schema: unknown $ref ${schema.$ref}`);
    return toZod(target);
  }
  if (schema.anyOf) {
    const nullable = schema.anyOf.some((option) => option.type === 'null');
    const options = schema.anyOf.filter((option) => option.type !== 'null').map(toZod);
    const [first, ...rest] = options;
    if (!first) return z.null();
    const inner = rest.length === 0 ? first : z.union([first, ...rest]);
    return nullable ? inner.nullable() : inner;
  }
  if (schema.enum) return z.enum(schema.enum as [string, ...string[]]);
  switch (schema.type) {
    case 'string': {
      if (schema.format === 'uuid') return lowerGuid();
      if (schema.format === 'date') return z.iso.date();
      if (schema.format === 'date-time') {
        return z.string().refine((text) => parseIsoDatetime(text) !== null, {
          message: 'Input should be a valid datetime',
          params: { error_type: 'datetime_parsing' },
        });
      }
      if (schema.pattern) {
        const pattern = new RegExp(schema.pattern);
        return z.string().refine((text) => pattern.test(text), {
          message: `String should match pattern '${schema.pattern}'`,
          params: { error_type: 'string_pattern_mismatch' },
        });
      }
      return z.string();
    }
    case 'integer':
    case 'number': {
      let number = schema.type === 'integer' ? z.number().int() : z.number();
      if (schema.minimum !== undefined) number = number.min(schema.minimum);
      if (schema.maximum !== undefined) number = number.max(schema.maximum);
      return number;
    }
    case 'boolean':
      return z.boolean();
    case 'array':
      return z.array(schema.items ? toZod(schema.items) : z.unknown());
    default:
      throw new Error(`write schema: unsupported type ${String(schema.type)}`);
  }
}

export type WriteBody = Record<string, unknown> & { connection_id: string };

function bodySchema(name: string): z.ZodType<WriteBody> {
  const schema = schemas[name];
  if (!schema?.properties) throw new Error(`write schema: no ${name} in the excerpt`);
  const required = new Set(schema.required ?? []);
  const shape = Object.fromEntries(
    Object.entries(schema.properties).map(([field, property]) => {
      const type = toZod(property);
      return [field, required.has(field) ? type : type.optional()];
    }),
  );
  return z.object(shape) as unknown as z.ZodType<WriteBody>;
}

/** The field names a body schema lists, in the spec's order (read views use them too). */
export function fieldsOf(name: string): string[] {
  return Object.keys(schemas[name]?.properties ?? {});
}

export const WRITE_BODY_SCHEMAS = {
  VehicleCreate: bodySchema('VehicleCreate'),
  VehicleUpdate: bodySchema('VehicleUpdate'),
  TrailerCreate: bodySchema('TrailerCreate'),
  TrailerUpdate: bodySchema('TrailerUpdate'),
  UserCreate: bodySchema('UserCreate'),
  UserUpdate: bodySchema('UserUpdate'),
  GroupMessageCreate: bodySchema('GroupMessageCreate'),
  FuelTransactionCreate: bodySchema('FuelTransactionCreate'),
  DvirLogCreate: bodySchema('DvirLogCreate'),
} as const;
export type WriteBodySchemaName = keyof typeof WRITE_BODY_SCHEMAS;

/** Enum values, for seeds and traffic that must write what Catena accepts. */
export function enumValues(name: string): string[] {
  return schemas[name]?.enum ?? [];
}
