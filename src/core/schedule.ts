// When a learner's next lesson is due: the one rule behind start, settings and resume.
import { addDays, deliveryInstant, localDate, type LocalDate, type TimeOfDay } from './calendar.js';

export interface ScheduleInput {
  now: Date;
  zone: string;
  time: TimeOfDay;
  /** Local date of the latest lesson actually sent (null before the first). */
  lastDeliveredDate: LocalDate | null;
}

/**
 * The first slot at `time` in `zone` that is after `now` and falls on a local date after
 * `lastDeliveredDate`. Dates compare as 'yyyy-MM-dd' labels: a learner who moved west across the
 * date line waits until their new local date passes the one their last lesson was given on, so no
 * date gets two lessons. DST gaps and overlaps resolve as in `deliveryInstant`.
 */
export function nextDeliveryFor({ now, zone, time, lastDeliveredDate }: ScheduleInput): Date {
  const today = localDate(now, zone);
  let date = lastDeliveredDate !== null && lastDeliveredDate >= today ? addDays(lastDeliveredDate, 1) : today;
  // Today's slot may have passed; a later date's slot is ahead unless the zone's local date ran
  // backwards in between (a fall-back across midnight), so a few steps always suffice.
  for (let step = 0; step < 4; step++, date = addDays(date, 1)) {
    const slot = deliveryInstant(date, zone, time);
    if (slot.getTime() > now.getTime()) return slot;
  }
  throw new Error(`no delivery slot found after ${now.toISOString()} in ${zone}`);
}
