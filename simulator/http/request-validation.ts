import type { z } from 'zod';
import { RequestValidationError, type ValidationErrorDetail } from './catena-errors.ts';

/** Where an input came from; it is the first segment of a 422 detail `path`, like FastAPI's `loc`. */
export type InputLocation = 'body' | 'query' | 'path';

const MAX_INPUT_CHARS = 200;

/** Catena's ValidationErrorDetail.input is a string, so every offending value is rendered as one. */
export function renderInput(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value === undefined) text = '';
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > MAX_INPUT_CHARS ? `${text.slice(0, MAX_INPUT_CHARS)}…` : text;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function listValues(values: readonly unknown[]): string {
  const shown = values.slice(0, 8).map((v) => `'${String(v)}'`);
  if (values.length > 8) return `${shown.join(', ')}, … (one of ${values.length} values)`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}`;
}

/** Maps a zod issue to the pydantic-style message and error_type that FastAPI-based Catena answers with. */
function describeIssue(issue: z.core.$ZodIssue, present: boolean): { message: string; error_type: string } {
  switch (issue.code) {
    case 'invalid_type': {
      if (!present) return { message: 'Field required', error_type: 'missing' };
      const hasInput = 'input' in issue;
      const input = hasInput ? (issue as { input?: unknown }).input : undefined;
      switch (issue.expected) {
        case 'string':
          return { message: 'Input should be a valid string', error_type: 'string_type' };
        case 'number':
        case 'int':
          return typeof input === 'string'
            ? { message: 'Input should be a valid integer, unable to parse string as an integer', error_type: 'int_parsing' }
            : { message: 'Input should be a valid integer', error_type: 'int_type' };
        case 'boolean':
          return typeof input === 'string'
            ? { message: 'Input should be a valid boolean, unable to interpret input', error_type: 'bool_parsing' }
            : { message: 'Input should be a valid boolean', error_type: 'bool_type' };
        case 'object':
          return { message: 'Input should be a valid dictionary or object to extract fields from', error_type: 'model_attributes_type' };
        case 'array':
          return { message: 'Input should be a valid list', error_type: 'list_type' };
        default:
          return { message: `Input should be a valid ${issue.expected}`, error_type: `${issue.expected}_type` };
      }
    }
    case 'invalid_format':
      if (issue.format === 'uuid' || issue.format === 'guid') return { message: 'Input should be a valid UUID', error_type: 'uuid_parsing' };
      if (issue.format === 'datetime') return { message: 'Input should be a valid datetime', error_type: 'datetime_parsing' };
      if (issue.format === 'url') return { message: 'Input should be a valid URL', error_type: 'url_parsing' };
      return { message: issue.message, error_type: `${issue.format}_parsing` };
    case 'invalid_value':
      return { message: `Input should be ${listValues(issue.values)}`, error_type: 'enum' };
    case 'too_big':
      if (issue.origin === 'string') return { message: `String should have at most ${issue.maximum} characters`, error_type: 'string_too_long' };
      if (issue.origin === 'array') return { message: `List should have at most ${issue.maximum} items after validation`, error_type: 'too_long' };
      return { message: `Input should be less than or equal to ${issue.maximum}`, error_type: 'less_than_equal' };
    case 'too_small':
      if (issue.origin === 'string') return { message: `String should have at least ${issue.minimum} characters`, error_type: 'string_too_short' };
      if (issue.origin === 'array') return { message: `List should have at least ${issue.minimum} items after validation`, error_type: 'too_short' };
      return { message: `Input should be greater than or equal to ${issue.minimum}`, error_type: 'greater_than_equal' };
    case 'custom': {
      // A refinement may name its pydantic error type (`params: { error_type }`); the default is value_error.
      const named = (issue.params as { error_type?: unknown } | undefined)?.error_type;
      return { message: issue.message, error_type: typeof named === 'string' ? named : 'value_error' };
    }
    default:
      return { message: issue.message, error_type: issue.code };
  }
}

export function issuesToDetails(issues: readonly z.core.$ZodIssue[], root: unknown, location: InputLocation): ValidationErrorDetail[] {
  return issues.map((issue) => {
    const path = issue.path;
    const parentPath = path.slice(0, -1);
    const lastKey = path.at(-1);
    const parent = valueAt(root, parentPath);
    const present =
      path.length === 0 || (parent !== null && typeof parent === 'object' && lastKey !== undefined && Object.hasOwn(parent, lastKey as PropertyKey));
    const value = present ? valueAt(root, path) : parent;
    const { message, error_type } = describeIssue(issue, present);
    return {
      path: [location, ...path.map(String)].join('.'),
      // A missing field has no value of its own: like pydantic, show the object it was missing from.
      input: renderInput(value),
      message,
      error_type,
    };
  });
}

/** Parses with zod or throws a 422 in Catena's shape. Every route input goes through here. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, location: InputLocation): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  throw new RequestValidationError(issuesToDetails(result.error.issues, value, location));
}
