import { useId, type ReactNode } from 'react';
import { Personal } from '../../../../components/ui/personal.tsx';
import type { OperationDetail, OperationRecord } from '../../../../../contracts/operation-schemas.ts';
import { Button } from '../../../../components/ui/button.tsx';
import { AlertTriangleIcon } from '../../../../components/ui/icons.tsx';
import { fieldLabel } from './error-explanations.ts';

/**
 * Any write read as a record of its resource, not as JSON: a vehicle's name, VIN, plate and
 * status; a driver's name, licence and phone; a fuel transaction's driver, vehicle, volume and
 * cost; a DVIR's defects. Catena ids stand with the names they resolve to, beside the TSP's own
 * ids. An update shows field by field what it changes against the record as it was. The field a
 * validation error names is marked wherever it appears.
 */

type Names = ReadonlyMap<string, string>;
type Props = {
  operation: OperationDetail;
  record: OperationRecord | undefined;
  recordState: 'loading' | 'error' | 'ready';
  /** The request field the latest validation error names. */
  errorField: string | null;
  tsp: string;
  /** Names the console knows for Catena ids (the record view's, then the directory's). */
  names: Names;
  onOpenOperation: (id: string) => void;
};

const headings: Record<string, string> = {
  vehicle: 'Vehicle',
  trailer: 'Trailer',
  user: 'Driver',
  fuel_transaction: 'Fuel transaction',
  dvir_log: 'DVIR',
  group_message: 'Group message',
};

const units: Record<string, string> = { US_GALLON: 'US gallons', IMPERIAL_GALLON: 'imperial gallons', LITER: 'litres', CUBIC_METER: 'm³' };

export function RecordView({ operation, record, recordState, errorField, tsp, names, onOpenOperation }: Props) {
  const headingId = useId();
  const heading = headings[operation.resource];
  if (!heading) return null;
  const payload = operation.payload;
  const before = record?.record_before?.fields ?? {};
  // What the record shows: as it was, with what this write asked for (creates have no "before").
  const shown = operation.operation_type === 'update' ? { ...before, ...asked(payload) } : payload;
  const text = (key: string) => display(shown[key]);
  const person = (key: string) => nameOrId(shown[key], names);
  const facts = factsFor(operation.resource, shown, text, person);

  return (
    <section aria-labelledby={headingId} className="mt-3 space-y-4">
      <h4 id={headingId} className="text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">
        {heading}
        {operation.operation_type === 'update' && operation.resource_id
          ? ` · ${names.get(operation.resource_id.toLowerCase()) ?? operation.resource_id}`
          : ''}
      </h4>

      {record?.newer_update_id ? (
        <div
          role="note"
          className="flex items-start gap-2 rounded-lg bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-600/20 ring-inset dark:bg-amber-500/10 dark:text-amber-200"
        >
          <AlertTriangleIcon className="mt-0.5 size-4 shrink-0" />
          <div>
            <p>A newer update of this {heading.toLowerCase()} exists. Sending this one again would write its older values over the newer ones.</p>
            <Button variant="ghost" size="sm" onClick={() => onOpenOperation(record.newer_update_id ?? '')}>
              Open the newer update
            </Button>
          </div>
        </div>
      ) : null}

      <table className="w-full text-left text-sm">
        <caption className="sr-only">
          {heading} as {operation.operation_type === 'update' ? 'it would be after this update' : 'written'}
        </caption>
        <tbody>
          {facts.map(([field, label, value]) => (
            <FactRow key={label} label={label} flagged={field !== null && field === errorField} tsp={tsp}>
              {value}
            </FactRow>
          ))}
        </tbody>
      </table>

      {operation.operation_type === 'update' ? <ChangesTable record={record} state={recordState} errorField={errorField} tsp={tsp} /> : null}
      <IdsTable operation={operation} names={names} tsp={tsp} />
    </section>
  );
}

function factsFor(
  resource: string,
  shown: Record<string, unknown>,
  text: (key: string) => string,
  person: (key: string) => string,
): [string | null, string, ReactNode][] {
  switch (resource) {
    case 'vehicle':
    case 'trailer': {
      const plate = [shown['license_plate_region'], shown['license_plate_number']].filter((part) => typeof part === 'string' && part).join(' ');
      return [
        [`${resource}_name`, 'Name', text(`${resource}_name`)],
        [
          'vin',
          'VIN',
          <span key="vin" className="font-mono">
            {text('vin')}
          </span>,
        ],
        [
          'license_plate_number',
          'Plate',
          plate ? `${plate}${typeof shown['license_plate_country'] === 'string' ? ` (${shown['license_plate_country']})` : ''}` : 'Not given',
        ],
        ['license_plate_country', 'Plate country', text('license_plate_country')],
        ['status', 'Status', words(text('status'))],
      ];
    }
    case 'user':
      return [
        [null, 'Name', [shown['first_name'], shown['last_name']].filter((part) => typeof part === 'string' && part).join(' ') || 'Not given'],
        [
          'license_number',
          'Licence',
          typeof shown['license_number'] === 'string' && shown['license_number'] ? (
            <span key="licence">
              <Personal kind="licence">{shown['license_number']}</Personal>
              {typeof shown['license_region'] === 'string' && shown['license_region'] ? `, ${shown['license_region']}` : ''}
            </span>
          ) : (
            'Not given'
          ),
        ],
        [
          'phone_number',
          'Phone',
          typeof shown['phone_number'] === 'string' && shown['phone_number'] ? (
            <Personal key="phone" kind="phone">
              {shown['phone_number']}
            </Personal>
          ) : (
            text('phone_number')
          ),
        ],
      ];
    case 'fuel_transaction':
      return [
        ['driver_id', 'Driver', person('driver_id')],
        ['vehicle_id', 'Vehicle', person('vehicle_id')],
        ['fuel_volume', 'Volume', `${text('fuel_volume')} ${units[String(shown['fuel_volume_unit'])] ?? text('fuel_volume_unit')}`],
        [
          'total_cost',
          'Cost',
          shown['total_cost'] === undefined || shown['total_cost'] === null
            ? 'Not given'
            : `${text('total_cost')} ${typeof shown['currency'] === 'string' ? shown['currency'] : ''}`.trim(),
        ],
        ['fuel_vendor', 'Vendor', text('fuel_vendor')],
      ];
    case 'dvir_log': {
      const defects = Array.isArray(shown['defects']) ? shown['defects'].filter((d): d is string => typeof d === 'string') : [];
      return [
        ['driver_id', 'Driver', person('driver_id')],
        ['vehicle_id', 'Vehicle', shown['vehicle_id'] ? person('vehicle_id') : 'None'],
        ['trailer_id', 'Trailer', shown['trailer_id'] ? person('trailer_id') : 'None'],
        ['log_type', 'Inspection', words(text('log_type'))],
        [
          'defects',
          'Defects',
          defects.length === 0 ? (
            'No defects'
          ) : (
            <ul key="defects" aria-label="Defects" className="list-inside list-disc">
              {defects.map((defect) => (
                <li key={defect}>{words(defect)}</li>
              ))}
            </ul>
          ),
        ],
        ['defect_count', 'Defect count', text('defect_count')],
        ['is_safety_critical', 'Safety critical', shown['is_safety_critical'] === true ? 'Yes' : 'No'],
      ];
    }
    case 'group_message': {
      const recipients = Array.isArray(shown['recipient_ids']) ? shown['recipient_ids'] : [];
      return [
        ['sender_id', 'Sender', person('sender_id')],
        ['recipient_ids', 'Recipients', `${recipients.length}`],
        ['message_text', 'Text', text('message_text')],
      ];
    }
    default:
      return [];
  }
}

function FactRow({ label, flagged, tsp, children }: { label: string; flagged: boolean; tsp: string; children: ReactNode }) {
  return (
    <tr className={flagged ? 'bg-red-50 dark:bg-red-500/10' : undefined}>
      <th scope="row" className="w-32 py-1.5 pr-3 align-top text-xs font-medium text-slate-500 dark:text-slate-400">
        {label}
      </th>
      <td className="py-1.5 align-top text-slate-900 dark:text-slate-100">
        {children}
        {flagged ? <Refused tsp={tsp} /> : null}
      </td>
    </tr>
  );
}

function Refused({ tsp }: { tsp: string }) {
  return (
    <span className="ml-2 inline-flex items-center gap-1 text-xs font-semibold text-red-700 dark:text-red-300">
      <AlertTriangleIcon className="size-3.5" />
      Refused by {tsp}
    </span>
  );
}

function ChangesTable({
  record,
  state,
  errorField,
  tsp,
}: {
  record: OperationRecord | undefined;
  state: Props['recordState'];
  errorField: string | null;
  tsp: string;
}) {
  if (state === 'loading') return <p className="text-sm text-slate-600 dark:text-slate-400">Looking up the record as it was…</p>;
  if (!record || record.changes.length === 0) {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {state === 'error' ? 'The record as it was could not be loaded.' : 'This update names no field.'}
      </p>
    );
  }
  const source = record.record_before?.source;
  return (
    <table className="w-full border-separate border-spacing-0 text-left text-sm ring-1 ring-slate-200 rounded-lg dark:ring-slate-800">
      <caption className="mb-1 text-left text-xs font-medium text-slate-500 dark:text-slate-400">
        What this update changes
        {source === 'catena'
          ? ' (before: the record as Catena has it now)'
          : source === 'store'
            ? ' (before: from earlier writes the console saw)'
            : ''}
      </caption>
      <thead>
        <tr className="text-xs text-slate-500 dark:text-slate-400">
          <th scope="col" className="border-b border-slate-200 px-3 py-2 dark:border-slate-800">
            Field
          </th>
          <th scope="col" className="border-b border-slate-200 px-3 py-2 dark:border-slate-800">
            Before
          </th>
          <th scope="col" className="border-b border-slate-200 px-3 py-2 dark:border-slate-800">
            This update
          </th>
        </tr>
      </thead>
      <tbody>
        {record.changes.map((change) => {
          const flagged = change.field === errorField;
          const same = change.before_known && JSON.stringify(change.before) === JSON.stringify(change.after);
          return (
            <tr key={change.field} className={flagged ? 'bg-red-50 dark:bg-red-500/10' : undefined}>
              <th scope="row" className="border-b border-slate-100 px-3 py-2 align-top font-medium dark:border-slate-800">
                {capitalise(
                  fieldLabel(change.field)
                    .replace(/^the /, '')
                    .replace(/^field "(.*)"$/, '$1'),
                )}
                <span className="block font-mono text-[11px] font-normal text-slate-500">{change.field}</span>
              </th>
              <td className="border-b border-slate-100 px-3 py-2 align-top dark:border-slate-800">
                {change.before_known ? display(change.before) : 'Unknown'}
              </td>
              <td className="border-b border-slate-100 px-3 py-2 align-top dark:border-slate-800">
                {display(change.after)}
                {same ? <span className="ml-2 text-xs text-slate-500">(unchanged)</span> : null}
                {flagged ? <Refused tsp={tsp} /> : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Catena ids (with the names they resolve to) beside the TSP ids Catena resolved them to. */
function IdsTable({ operation, names, tsp }: { operation: OperationDetail; names: Names; tsp: string }) {
  const rows: { label: string; catena: string[]; source: (string | null)[] }[] = [];
  if (operation.resource_id || operation.source_id)
    rows.push({ label: 'This record', catena: operation.resource_id ? [operation.resource_id] : [], source: [operation.source_id] });
  for (const [key, value] of Object.entries(operation.payload)) {
    if (key.startsWith('source_') || key === 'connection_id') continue;
    const sourceValue = operation.payload[`source_${key}`];
    if (key.endsWith('_id') && typeof value === 'string')
      rows.push({
        label: capitalise(fieldLabel(key).replace(/^the /, '')),
        catena: [value],
        source: [typeof sourceValue === 'string' ? sourceValue : null],
      });
    if (key.endsWith('_ids') && Array.isArray(value)) {
      const sources = Array.isArray(sourceValue) ? sourceValue : [];
      rows.push({
        label: capitalise(fieldLabel(key).replace(/^the /, '')),
        catena: value.map(String),
        source: value.map((_, index) => (typeof sources[index] === 'string' ? (sources[index] as string) : null)),
      });
    }
  }
  if (rows.length === 0) return null;
  return (
    <table className="w-full border-separate border-spacing-0 text-left text-sm">
      <caption className="mb-1 text-left text-xs font-medium text-slate-500 dark:text-slate-400">Catena ids and {tsp}'s own</caption>
      <thead>
        <tr className="text-xs text-slate-500 dark:text-slate-400">
          <th scope="col" className="py-1 pr-3">
            Who or what
          </th>
          <th scope="col" className="py-1 pr-3">
            Catena
          </th>
          <th scope="col" className="py-1">
            {tsp}
          </th>
        </tr>
      </thead>
      <tbody className="align-top">
        {rows.map((row) => (
          <tr key={row.label}>
            <th scope="row" className="py-1.5 pr-3 text-xs font-medium text-slate-500 dark:text-slate-400">
              {row.label}
            </th>
            <td className="py-1.5 pr-3">
              {row.catena.map((id) => (
                <div key={id}>
                  <span className="font-medium text-slate-900 dark:text-slate-100">{names.get(id.toLowerCase()) ?? 'Not in the directory'}</span>
                  <span className="block font-mono text-xs text-slate-600 dark:text-slate-300">{id}</span>
                </div>
              ))}
            </td>
            <td className="py-1.5 font-mono text-[13px]">
              {row.source.map((id, index) => (
                <div key={row.catena[index] ?? id}>
                  {id ?? <span className="font-sans text-xs font-medium text-amber-800 dark:text-amber-300">Not resolved</span>}
                </div>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function asked(payload: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(payload).filter(([key]) => key !== 'connection_id' && !key.startsWith('source_')));
}

function nameOrId(value: unknown, names: Names): string {
  if (typeof value !== 'string') return 'Not given';
  return names.get(value.toLowerCase()) ?? value;
}

function display(value: unknown): string {
  if (value === undefined || value === null || value === '') return 'Not given';
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** "IN_REPAIR" → "In repair", "pre_trip" → "Pre trip". */
function words(value: string): string {
  return capitalise(value.toLowerCase().replaceAll('_', ' '));
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
