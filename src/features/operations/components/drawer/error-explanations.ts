import type { ErrorType, OperationLog } from '../../../../../contracts/operation-schemas.ts';

/**
 * What each of Catena's error types means, in words a support person can act on: what
 * happened, who must act, what to do, and whether pressing Resend is safe. Catena documents the
 * four types but not their meaning; this follows the project's reading (REFERENCE §10).
 */

export type ResendSafety =
  /** Resent unchanged, it fails the same way (validation; auth until the fleet re-authorises). */
  | 'fails-again'
  /** It may have arrived already (network): resending may deliver it twice. */
  | 'may-duplicate'
  /** The TSP refused it with an error of its own: safe once the TSP has recovered. */
  | 'safe-after-recovery'
  /** An update writes the same values again: sending it twice changes nothing more. */
  | 'safe-to-repeat';

export type ErrorExplanation = {
  errorType: ErrorType;
  title: string;
  meaning: string;
  whoActs: string;
  whatToDo: string;
  resend: { safety: ResendSafety; text: string };
  /** The request field the error names (validation), e.g. "message_text". */
  field: string | null;
  /** An `auth` error because the fleet paused the connection, not because credentials expired. */
  connectionPaused: boolean;
};

export type ExplainContext = {
  /** The TSP's name as people know it, e.g. "Samsara". */
  tsp: string;
  /** The fleet's name, when the console knows the connection. */
  fleet: string | null;
  /** What was written (default: a message create). */
  resource?: string;
  operationType?: 'create' | 'update';
};

type Write = { resource: string; operationType: 'create' | 'update' };

/** How people name what was written: "message", "vehicle update", "fuel transaction". */
const writeNouns: Record<string, string> = {
  message: 'message',
  group_message: 'group message',
  fuel_transaction: 'fuel transaction',
  dvir_log: 'DVIR log',
  vehicle: 'vehicle',
  trailer: 'trailer',
  user: 'driver record',
};

function writeOf(context: ExplainContext): Write {
  return { resource: context.resource ?? 'message', operationType: context.operationType ?? 'create' };
}

function nounOf({ resource, operationType }: Write): string {
  const noun = writeNouns[resource] ?? resource.replaceAll('_', ' ');
  return operationType === 'update' ? `${noun} update` : noun;
}

const isRecord = (resource: string) => resource === 'vehicle' || resource === 'trailer' || resource === 'user';

/** After a network error, resending: what could go wrong, per resource (the TSP may have taken the first one). */
function networkResend(write: Write, tsp: string): ErrorExplanation['resend'] {
  if (write.operationType === 'update' && isRecord(write.resource)) {
    return {
      safety: 'safe-to-repeat',
      text: `Safe: the update sets the same fields to the same values, so if ${tsp} took the first one, sending it again changes nothing more (unless the record was changed since).`,
    };
  }
  switch (write.resource) {
    case 'message':
      return {
        safety: 'may-duplicate',
        text: `The message may already have reached the driver: a timeout does not mean ${tsp} did not get it, so resending may deliver it twice.`,
      };
    case 'group_message':
      return {
        safety: 'may-duplicate',
        text: `The drivers may already have the message: a timeout does not mean ${tsp} did not get it, so resending may deliver it to all of them twice.`,
      };
    case 'fuel_transaction':
      return {
        safety: 'may-duplicate',
        text: `${tsp} may already have the transaction: sending it again may count the fuel twice (fuel tax and cost reports).`,
      };
    case 'dvir_log':
      return {
        safety: 'may-duplicate',
        text: `${tsp} may already have the inspection: sending it again may file a second DVIR for the same inspection.`,
      };
    default:
      return {
        safety: 'may-duplicate',
        text: `${tsp} may already have created it: creating it again may leave two records (${tsp} may also refuse the copy as a duplicate).`,
      };
  }
}

/** Fields of a message write, as a person would name them. */
const fieldNames: Record<string, string> = {
  vin: 'the VIN',
  license_plate_country: 'the plate country',
  license_plate_number: 'the plate number',
  license_plate_region: 'the plate region',
  vehicle_name: 'the vehicle name',
  trailer_name: 'the trailer name',
  license_number: 'the licence number',
  username: 'the username',
  phone_number: 'the phone number',
  driver_id: 'the driver',
  vehicle_id: 'the vehicle',
  trailer_id: 'the trailer',
  co_driver_id: 'the co-driver',
  recipient_ids: 'the recipients',
  fuel_volume: 'the fuel volume',
  defect_count: 'the defect count',
  message_text: 'the message text',
  recipient_id: 'the recipient',
  source_recipient_id: 'the recipient',
  sender_id: 'the sender',
  source_sender_id: 'the sender',
  reply_to_message_id: 'the message it replies to',
  source_reply_to_message_id: 'the message it replies to',
  priority: 'the priority',
  connection_id: 'the connection',
};

/** "the message text" for `message_text`; an unknown field is named as it is written. */
export function fieldLabel(field: string): string {
  return fieldNames[field] ?? `the field "${field}"`;
}

const KNOWN_FIELD = new RegExp(`\\b(${Object.keys(fieldNames).join('|')})\\b`);
const LEADING_FIELD = /^\s*(?:body\.)?([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\s*:/;

/**
 * The request field an error's details name, if any: a leading "message_text: …" (how the
 * simulator and many TSPs write it), Catena's 422 shape (`[{ "path": […, "message_text"] }]`,
 * as JSON text), or a known field named anywhere in the text.
 */
export function fieldFromDetails(details: string | null | undefined): string | null {
  if (!details) return null;
  const leading = LEADING_FIELD.exec(details);
  if (leading?.[1]) return leading[1];
  const fromJson = fieldFromJson(details);
  if (fromJson) return fromJson;
  return KNOWN_FIELD.exec(details)?.[1] ?? null;
}

function fieldFromJson(details: string): string | null {
  const text = details.trim();
  if (!text.startsWith('[') && !text.startsWith('{')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const entries: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
  for (const entry of entries) {
    if (typeof entry !== 'object' || entry === null) continue;
    for (const key of ['path', 'loc', 'field']) {
      const value: unknown = (entry as Record<string, unknown>)[key];
      const last = Array.isArray(value) ? value.at(-1) : value;
      if (typeof last === 'string' && last !== 'body' && last.trim() !== '') return last.replace(/^body\./, '');
    }
  }
  return null;
}

const PAUSED = /\bpaused\b/i;

export function explainError(
  errorType: ErrorType,
  log: Pick<OperationLog, 'error_details' | 'response_status_code'> | null,
  context: ExplainContext,
): ErrorExplanation {
  const { tsp, fleet } = context;
  const write = writeOf(context);
  const noun = nounOf(write);
  const isMessage = write.resource === 'message';
  const details = log?.error_details ?? null;
  const status = log?.response_status_code ?? null;
  const theFleet = fleet ?? 'the fleet';
  switch (errorType) {
    case 'auth': {
      if (details && PAUSED.test(details)) {
        return {
          errorType,
          title: 'The fleet has paused this connection',
          meaning: `${capitalise(theFleet)} paused data sharing on this connection, so Catena does not write to ${tsp} until it is resumed.`,
          whoActs: `The fleet (${theFleet}): only the fleet can resume its connection.`,
          whatToDo: `Ask ${theFleet} to resume the connection in Catena; then resend.`,
          resend: {
            safety: 'fails-again',
            text: 'Resending fails the same way while the connection is paused.',
          },
          field: null,
          connectionPaused: true,
        };
      }
      return {
        errorType,
        title: `${tsp} rejected the fleet's credentials`,
        meaning: `${tsp} refused Catena's access to this fleet${status ? ` (HTTP ${status})` : ''}: the authorisation the fleet gave has expired or was revoked.`,
        whoActs: `The fleet (${theFleet}): only an admin of its ${tsp} account can grant access again.`,
        whatToDo: `Ask ${theFleet} to re-authorise this connection with ${tsp} (through Catena Connect); then resend.`,
        resend: {
          safety: 'fails-again',
          text: 'Resending fails the same way until the fleet has re-authorised the connection.',
        },
        field: null,
        connectionPaused: false,
      };
    }
    case 'validation': {
      const field = fieldFromDetails(details);
      return {
        errorType,
        title: field ? `${tsp} rejected ${fieldLabel(field)}` : `${tsp} rejected the request as invalid`,
        meaning: field
          ? `The ${noun} cannot be ${isMessage ? 'delivered' : 'written'} as it is: ${fieldLabel(field)} (${field}) is not acceptable to ${tsp}. The details below say why.`
          : `The ${noun} cannot be ${isMessage ? 'delivered' : 'written'} as it is: ${tsp} or Catena found something in it invalid. The details below say what.`,
        whoActs: isMessage
          ? 'Whoever sends the message: the request itself must change.'
          : `Whoever sent the ${noun} (often the partner's own system): the request itself must change.`,
        whatToDo: isMessage ? validationAdvice(field, tsp) : recordValidationAdvice(field, tsp, noun),
        resend: {
          safety: 'fails-again',
          text: isMessage
            ? 'Resend sends the same payload unchanged, so it fails again. Compose a corrected message instead.'
            : `Resend sends the same payload unchanged, so it fails again. Correct the ${noun} where it was made and send it again.`,
        },
        field,
        connectionPaused: false,
      };
    }
    case 'network':
      return {
        errorType,
        title: `Catena could not reach ${tsp}`,
        meaning: `The request timed out or the connection dropped before ${tsp} answered. This usually heals on its own: Catena retries network errors automatically.`,
        whoActs: `Usually nobody. If it keeps happening across many writes, ${tsp} or the network on the way to it is having trouble.`,
        whatToDo: isMessage
          ? `Before resending, check with the driver (or in ${tsp}) whether the message arrived.`
          : networkResend(write, tsp).safety === 'safe-to-repeat'
            ? `Check in ${tsp} whether the record shows the change; if not, send the update again.`
            : `Before resending, check in ${tsp} whether the ${noun} arrived.`,
        resend: networkResend(write, tsp),
        field: null,
        connectionPaused: false,
      };
    case 'tsp':
      return {
        errorType,
        title: `${tsp} answered with an error${status ? ` (HTTP ${status})` : ''}`,
        meaning: `${tsp} is degraded: it answered with an error of its own instead of taking the ${noun}. Nothing is wrong with the ${noun} or the connection.`,
        whoActs: `${tsp}. Nothing needs to change on your side or the fleet's.`,
        whatToDo: `Wait until ${tsp} has recovered (its status page says when); then resend.`,
        resend: {
          safety: 'safe-after-recovery',
          text: `Safe once ${tsp} has recovered: it refused the ${noun} with an error, so it most likely did not take it.`,
        },
        field: null,
        connectionPaused: false,
      };
  }
}

function validationAdvice(field: string | null, tsp: string): string {
  switch (field) {
    case 'message_text':
      return `Change the message text (for example shorten it to what ${tsp} accepts) and send it as a new message.`;
    case 'recipient_id':
    case 'source_recipient_id':
      return `Check the recipient: they may not exist on this connection or may be deactivated at ${tsp}. Send it to an active driver as a new message.`;
    case 'sender_id':
    case 'source_sender_id':
      return 'Choose a sender who exists on this connection and send it as a new message.';
    case null:
      return `Read the error details for what ${tsp} objected to, correct it, and send it as a new message.`;
    default:
      return `Correct ${fieldLabel(field)} and send it as a new message.`;
  }
}

function recordValidationAdvice(field: string | null, tsp: string, noun: string): string {
  switch (field) {
    case 'vin':
      return `Check the VIN against the vehicle's title or door plate (17 characters, no I, O or Q), correct it and send the ${noun} again.`;
    case 'license_plate_country':
      return `Write the plate country as ${tsp} expects it (trailers take two letters, e.g. "US"; vehicles three, e.g. "USA") and send the ${noun} again.`;
    case 'license_number':
    case 'username':
      return `Another driver of this fleet already has ${fieldLabel(field)} at ${tsp}: check which record is right, then send the ${noun} again.`;
    case 'vehicle_id':
    case 'driver_id':
    case 'trailer_id':
    case 'co_driver_id':
      return `Check ${fieldLabel(field)}: it must be a record of this connection that ${tsp} knows (not retired). Send the ${noun} again with the right one.`;
    case null:
      return `Read the error details for what ${tsp} objected to, correct it where the ${noun} was made, and send it again.`;
    default:
      return `Correct ${fieldLabel(field)} and send the ${noun} again.`;
  }
}

/**
 * One explanation per error type seen, the most recent first; each explained with the latest
 * log of its type (its details and status code are the freshest).
 */
export function explainLogs(logs: readonly OperationLog[], context: ExplainContext): ErrorExplanation[] {
  const latest = new Map<ErrorType, OperationLog>();
  for (const log of [...logs].reverse()) {
    if (log.error_type && !latest.has(log.error_type)) latest.set(log.error_type, log);
  }
  return [...latest].map(([type, log]) => explainError(type, log, context));
}

export type ResendVerdict = {
  tone: 'danger' | 'warning' | 'info';
  headline: string;
  /** One line per error type seen, the gravest first. */
  reasons: string[];
};

const SAFETY_ORDER: readonly ResendSafety[] = ['fails-again', 'may-duplicate', 'safe-after-recovery', 'safe-to-repeat'];

/** Whether resending is safe, given every error type this operation met. */
export function resendVerdict(explanations: readonly ErrorExplanation[], context: ExplainContext): ResendVerdict {
  const { tsp } = context;
  const write = writeOf(context);
  const noun = nounOf(write);
  const sorted = [...explanations].sort((a, b) => SAFETY_ORDER.indexOf(a.resend.safety) - SAFETY_ORDER.indexOf(b.resend.safety));
  const reasons = sorted.map((explanation) => explanation.resend.text);
  const types = new Set(explanations.map((explanation) => explanation.errorType));
  if (types.has('validation')) {
    return { tone: 'danger', headline: `Resending will fail again: the ${noun} itself was rejected.`, reasons };
  }
  if (types.has('auth')) {
    const paused = explanations.some((explanation) => explanation.connectionPaused);
    return {
      tone: 'danger',
      headline: paused
        ? 'Resending will fail again unless the fleet has resumed the connection since.'
        : 'Resending will fail again unless the fleet has re-authorised the connection since.',
      reasons,
    };
  }
  if (types.has('network')) {
    if (explanations.every((explanation) => explanation.resend.safety !== 'may-duplicate')) {
      return { tone: 'info', headline: `Safe to send the same ${noun} again.`, reasons };
    }
    const headline =
      write.resource === 'message' ? 'Check first: the driver may already have this message.' : `Check first: ${tsp} may already have this ${noun}.`;
    return { tone: 'warning', headline, reasons };
  }
  if (types.has('tsp')) {
    return { tone: 'info', headline: `Safe to resend once ${tsp} has recovered.`, reasons };
  }
  return { tone: 'info', headline: `Resend sends the same ${noun} again as a new operation.`, reasons };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
