// Suggestions while a person types an option: IANA zones for `timezone`, the value shapes `settings` takes,
// the course's challenge templates for `/cohort challenge post template:`.
import type { TemplateChoice } from './commands.js';
import { DISCORD, clamp } from './limits.js';

export interface Choice {
  name: string;
  value: string;
}

// Intl leaves out the UTC alias on some Node builds; people type it most.
const ZONES: readonly string[] = [...new Set(['UTC', ...Intl.supportedValuesOf('timeZone')])];

const AS_IS = (values: string[]): Choice[] => values.map((value) => ({ name: value, value }));

/** Examples that start with what was typed, or all of them when none does. */
const examples = (values: string[], typed: string): Choice[] => {
  const matching = values.filter((v) => v.startsWith(typed.trim()));
  return AS_IS(matching.length ? matching : values);
};

/** Zones matching what was typed: "berl", "new york", "asia/kol". Prefix matches (of the zone or its city) first. */
export function suggestZones(typed: string): Choice[] {
  const query = typed.trim().toLowerCase().replaceAll(' ', '_').slice(0, 64);
  if (!query) return AS_IS(['UTC', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Asia/Kolkata', 'Asia/Tokyo']);
  const scored = ZONES.flatMap((zone) => {
    const lower = zone.toLowerCase();
    const city = lower.slice(lower.lastIndexOf('/') + 1);
    const rank = lower.startsWith(query) || city.startsWith(query) ? 0 : lower.includes(query) ? 1 : -1;
    return rank < 0 ? [] : [{ zone, rank }];
  });
  scored.sort((a, b) => a.rank - b.rank || a.zone.localeCompare(b.zone));
  return AS_IS(scored.slice(0, DISCORD.optionChoicesMax).map((s) => s.zone));
}

/** Templates whose id or title contains what was typed (all of them for nothing typed), at most 25. */
export function suggestTemplates(templates: readonly TemplateChoice[], typed: string): Choice[] {
  const query = typed.trim().toLowerCase().slice(0, 100);
  const matching = templates.filter((t) => !query || t.id.toLowerCase().includes(query) || t.title.toLowerCase().includes(query));
  return matching.slice(0, DISCORD.optionChoicesMax).map((t) => ({ name: clamp(t.title, DISCORD.optionChoiceNameMax), value: t.id }));
}

/**
 * What to suggest for the focused option. `typed` and `key` come from the user's client: anything at all,
 * so they are narrowed to strings here and never trusted further.
 */
export function suggest(verb: string, focused: string, typed: unknown, key: unknown, known: { templates?: readonly TemplateChoice[] } = {}): Choice[] {
  const text = typeof typed === 'string' ? typed : '';
  if (focused === 'timezone') return suggestZones(text);
  if (verb === 'challenge post' && focused === 'template') return suggestTemplates(known.templates ?? [], text);
  if (verb === 'settings' && focused === 'value') {
    switch (key) {
      case 'timezone':
        return suggestZones(text);
      case 'nudges':
        return examples(['on', 'off'], text);
      case 'quiet':
        return examples(['21:00-08:00', '22:00-07:00', '23:00-09:00'], text);
      case 'time':
        return examples(['07:00', '08:00', '09:00', '12:30', '18:00'], text);
    }
  }
  return [];
}
