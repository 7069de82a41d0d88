/**
 * How presenter mode masks personal data. The shape stays (an e-mail still reads as one, a phone
 * keeps its last two digits) so a demo makes sense; the person cannot be found from it.
 */
export const personalKinds = ['email', 'phone', 'licence'] as const;
export type PersonalKind = (typeof personalKinds)[number];

export function maskPersonal(kind: PersonalKind, value: string): string {
  if (value === '') return value;
  switch (kind) {
    case 'email': {
      const at = value.lastIndexOf('@');
      return at > 0 ? `${value.slice(0, 1)}•••@•••` : '•••';
    }
    case 'phone': {
      const digits = value.replace(/\D/g, '');
      return `••• ••• ••${digits.slice(-2)}`;
    }
    case 'licence':
      return '••••••••';
  }
}

/** Payload fields that hold a person's data, by name, for views that draw a record's fields. */
export const personalFields: Readonly<Record<string, PersonalKind>> = {
  email: 'email',
  email_address: 'email',
  phone_number: 'phone',
  phone: 'phone',
  license_number: 'licence',
  licence_number: 'licence',
};
