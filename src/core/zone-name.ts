// One spelling per timezone. Zone names are case-insensitive (Intl and Luxon accept `europe/berlin`), but
// Luxon keeps what it was given, so without this `europe/berlin` would be stored and shown as typed.

// ICU (Node's Intl) keeps the old name of zones IANA has renamed; these are the current names.
const RENAMED: Readonly<Record<string, string>> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

/**
 * The canonical name of a valid IANA zone as Intl resolves it (letter case fixed; Node 20's ICU also resolves
 * aliases such as US/Eastern to their zone), with IANA's current name where ICU keeps an old one. The input
 * itself if Intl cannot say.
 */
export function canonicalZone(zone: string): string {
  let resolved: string | undefined;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return zone;
  }
  if (!resolved) return zone;
  return RENAMED[resolved] ?? resolved;
}
