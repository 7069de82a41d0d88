import { z } from 'zod';

/**
 * Query strings arrive as strings or, when a key repeats, string arrays. These helpers coerce
 * them the way FastAPI does: a scalar takes the last value, lists accept one or many values,
 * booleans accept pydantic's spellings, and unknown keys are ignored.
 */

const lastValue = (value: unknown): unknown => (Array.isArray(value) ? value.at(-1) : value);

export const queryString = () => z.preprocess(lastValue, z.string().optional());

export const queryEnum = <const T extends readonly [string, ...string[]]>(values: T) => z.preprocess(lastValue, z.enum(values).optional());

export const queryGuid = () => z.preprocess(lastValue, z.guid().optional());

export const queryList = <T extends z.ZodType>(item: T, max = 100) =>
  z.preprocess((value) => (value === undefined || Array.isArray(value) ? value : [value]), z.array(item).max(max).optional());

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on', 't', 'y']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off', 'f', 'n']);

export const queryBool = () =>
  z.preprocess((raw) => {
    const value = lastValue(raw);
    if (typeof value !== 'string') return value;
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    return value;
  }, z.boolean().optional());

export const queryInt = (min: number, max: number, fallback: number) =>
  z.preprocess((raw) => {
    const value = lastValue(raw);
    if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) return Number(value);
    return value;
  }, z.number().int().min(min).max(max).default(fallback));

/** ISO 8601 date-time; a value without an offset is read as UTC (Catena's params are UTC). */
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|z|[+-]\d{2}:?\d{2})?$/;

export function parseIsoDatetime(text: string): number | null {
  const trimmed = text.trim();
  if (!ISO_DATETIME.test(trimmed)) return null;
  let normalized = trimmed.replace(' ', 'T');
  // JavaScript understands milliseconds only; drop the extra fraction digits instead of rejecting them.
  normalized = normalized.replace(/(\.\d{3})\d+/, '$1');
  if (!/(Z|z|[+-]\d{2}:?\d{2})$/.test(normalized)) normalized += 'Z';
  const ms = Date.parse(normalized);
  return Number.isNaN(ms) ? null : ms;
}

export const queryDatetime = () =>
  z.preprocess(
    lastValue,
    z
      .string()
      .refine((text) => parseIsoDatetime(text) !== null, {
        message: 'Input should be a valid datetime in ISO 8601 format',
        params: { error_type: 'datetime_from_date_parsing' },
      })
      .transform((text) => parseIsoDatetime(text) as number)
      .optional(),
  );
