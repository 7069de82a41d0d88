/** How TSPs spell their own names; Catena's `source_name` is a lowercase slug. */
const tspNames: Record<string, string> = {
  samsara: 'Samsara',
  motive: 'Motive',
  geotab: 'Geotab',
  omnitracs: 'Omnitracs',
  verizon: 'Verizon Connect',
  verizon_reveal: 'Verizon Reveal',
  webfleet: 'Webfleet',
  zonar: 'Zonar',
  eroad: 'EROAD',
  teletracnavman: 'Teletrac Navman',
  trimble: 'Trimble',
  peoplenet: 'PeopleNet',
  netradyne: 'Netradyne',
  lytx: 'Lytx',
  catena_simulator: 'Catena Simulator',
};

export function tspDisplayName(slug: string): string {
  return tspNames[slug] ?? slug;
}
