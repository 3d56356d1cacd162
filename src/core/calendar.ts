// Calendar helpers for learner-local dates and delivery times.
// Pure: every computation goes through Luxon with an explicit zone, so the
// process's own zone (TZ, Settings.defaultZone) never leaks into results.
import { DateTime, IANAZone } from 'luxon';

/** A calendar date in some learner's local zone, formatted 'yyyy-MM-dd'. */
export type LocalDate = string;

/** A 24-hour wall-clock time. */
export interface TimeOfDay {
  hour: number;
  minute: number;
}

// Checked before Luxon parses, because fromISO also accepts '20260329' and times.
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
// Pure calendar arithmetic (no wall clock involved) happens in UTC, which has
// no DST, so every day is exactly one day long.
const CALENDAR_ZONE = 'UTC';
const DAY_MS = 86_400_000;

/** True for IANA zone names Luxon can use ('UTC' and 'Etc/GMT-14' included); false for '' and ad-hoc offsets like 'UTC+3'. */
export function isValidZone(zone: string): boolean {
  // Luxon builds an Intl formatter per check; zones are few, so remember the answer.
  let valid = zoneValidity.get(zone);
  if (valid === undefined) {
    valid = zone.length > 0 && IANAZone.isValidZone(zone);
    if (zoneValidity.size < 1000) zoneValidity.set(zone, valid);
  }
  return valid;
}
const zoneValidity = new Map<string, boolean>();

/** True for a real calendar date written exactly as 'yyyy-MM-dd'. */
export function isValidLocalDate(date: string): boolean {
  // Every streak checks every activity day, and learners share their days: remember the good ones.
  if (validDates.has(date)) return true;
  const valid = tryParseCalendarDate(date) !== null;
  if (valid && validDates.size < 100_000) validDates.add(date);
  return valid;
}
const validDates = new Set<string>();

const TIME_PATTERN = /^(\d{1,2}):(\d{2})$/;

/** Parses 'H:MM' or 'HH:MM' (24-hour, 0:00..23:59); anything else gives null. */
export function parseTimeOfDay(text: string): TimeOfDay | null {
  const match = TIME_PATTERN.exec(text);
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (hour > 23 || minute > 59) return null;
  return { hour, minute };
}

/** Formats as zero-padded 'HH:MM'. */
export function formatTimeOfDay(t: TimeOfDay): string {
  assertTimeOfDay(t);
  return `${pad2(t.hour)}:${pad2(t.minute)}`;
}

/** The learner-local calendar date of `instant` in `zone`. */
export function localDate(instant: Date, zone: string): LocalDate {
  return toLocalDate(inZone(instant, zone));
}

/** `date` moved by `days` calendar days (negative goes back). */
export function addDays(date: LocalDate, days: number): LocalDate {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  return toLocalDate(parseCalendarDate(date).plus({ days }));
}

/** Every calendar day from `from` to `to`, both included, in order ([] if `to` is earlier). */
export function eachDay(from: LocalDate, to: LocalDate): LocalDate[] {
  const end = parseCalendarDate(to).toMillis();
  const days: LocalDate[] = [];
  // Streaks walk hundreds of days: step a UTC instant, where every day is exactly DAY_MS long (no DST),
  // rather than building a Luxon DateTime per day.
  for (let day = parseCalendarDate(from).toMillis(); day <= end; day += DAY_MS) days.push(new Date(day).toISOString().slice(0, 10));
  return days;
}

/** Calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  // Both are UTC midnights, so the difference is a whole number of days;
  // rounding only guards against floating-point noise.
  return Math.round(parseCalendarDate(to).diff(parseCalendarDate(from), 'days').days);
}

/**
 * The instant at which the wall clock in `zone` shows `time` on `date`.
 *
 * - DST gap (the time does not exist that day): Luxon pushes the time forward
 *   by the length of the gap, e.g. 02:30 on Europe/Berlin's spring-forward day
 *   becomes 03:30 CEST. We keep that behaviour so the message still goes out
 *   that day, shortly after the clocks jump.
 * - DST overlap (the time exists twice): the earlier of the two instants, so a
 *   learner is never messaged later than the first time the clock shows it.
 */
export function deliveryInstant(date: LocalDate, zone: string, time: TimeOfDay): Date {
  assertZone(zone);
  assertTimeOfDay(time);
  const day = parseCalendarDate(date);
  const wall = DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour: time.hour, minute: time.minute },
    { zone },
  );
  // Luxon resolves an ambiguous wall time to one of its offsets; ask it for
  // every instant showing this wall time and take the earliest.
  const earliest = Math.min(...wall.getPossibleOffsets().map((dt) => dt.toMillis()));
  return new Date(earliest);
}

/** The delivery instant on the day after `lastDelivered`. */
export function nextDeliveryAfter(lastDelivered: LocalDate, zone: string, time: TimeOfDay): Date {
  return deliveryInstant(addDays(lastDelivered, 1), zone, time);
}

/** The Monday of the ISO week containing `date`. */
export function weekStart(date: LocalDate): LocalDate {
  // Luxon's 'week' unit is the ISO week (Monday first) unless locale weeks are requested.
  return toLocalDate(parseCalendarDate(date).startOf('week'));
}

/**
 * Whether the wall clock in `zone` at `instant` is inside the quiet window
 * [start, end). The window may wrap midnight (21:00..08:00); start == end
 * means there are no quiet hours at all.
 */
export function isWithinQuietHours(
  instant: Date,
  zone: string,
  start: TimeOfDay,
  end: TimeOfDay,
): boolean {
  const from = minuteOfDay(start);
  const to = minuteOfDay(end);
  if (from === to) return false;
  const local = inZone(instant, zone);
  const now = local.hour * 60 + local.minute;
  return from < to ? now >= from && now < to : now >= from || now < to;
}

function minuteOfDay(t: TimeOfDay): number {
  assertTimeOfDay(t);
  return t.hour * 60 + t.minute;
}

function inZone(instant: Date, zone: string): DateTime {
  assertZone(zone);
  const dt = DateTime.fromJSDate(instant, { zone });
  if (!dt.isValid) throw new RangeError(`Invalid instant: ${String(instant)}`);
  return dt;
}

function tryParseCalendarDate(date: string): DateTime | null {
  if (!DATE_PATTERN.test(date)) return null;
  const dt = DateTime.fromISO(date, { zone: CALENDAR_ZONE });
  return dt.isValid ? dt : null;
}

function parseCalendarDate(date: LocalDate): DateTime {
  const dt = tryParseCalendarDate(date);
  if (!dt) throw new RangeError(`Invalid local date (want yyyy-MM-dd): ${JSON.stringify(date)}`);
  return dt;
}

function toLocalDate(dt: DateTime): LocalDate {
  const iso = dt.toISODate();
  if (iso === null) throw new RangeError(`Invalid date: ${dt.invalidExplanation ?? 'unknown'}`);
  return iso;
}

function assertZone(zone: string): void {
  if (!isValidZone(zone)) throw new RangeError(`Invalid IANA time zone: ${JSON.stringify(zone)}`);
}

function assertTimeOfDay(t: TimeOfDay): void {
  const ok =
    Number.isInteger(t.hour) && Number.isInteger(t.minute) &&
    t.hour >= 0 && t.hour <= 23 && t.minute >= 0 && t.minute <= 59;
  if (!ok) throw new RangeError(`Invalid time of day: ${JSON.stringify(t)}`);
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
