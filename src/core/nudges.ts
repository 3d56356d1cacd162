// The nudge policy: which one proactive message (if any) a learner should get right now.
// Pure and deterministic: every local-time question goes through the calendar
// helpers or Luxon with the learner's explicit zone, so neither the process zone
// (TZ, Settings.defaultZone) nor the wall clock leaks into a decision.
import { DateTime } from 'luxon';
import {
  daysBetween,
  isValidLocalDate,
  isValidZone,
  isWithinQuietHours,
  localDate,
  type LocalDate,
  type TimeOfDay,
} from './calendar.js';
import type { Button, Reply } from './reply.js';

export type NudgeKind = 'practice' | 'streak-risk' | 'review-due' | 'come-back-2' | 'come-back-5' | 'come-back-10' | 'auto-pause';

/** Every kind, in the order decideNudge considers them once the come-back ladder has had its say. */
export const NUDGE_KINDS: readonly NudgeKind[] = Object.freeze([
  'auto-pause',
  'come-back-10',
  'come-back-5',
  'come-back-2',
  'practice',
  'streak-risk',
  'review-due',
] as const);

/** Kinds that bring a quiet learner back; the only ones left at the deepest back-off level. */
export const COME_BACK_KINDS: readonly NudgeKind[] = Object.freeze(['come-back-2', 'come-back-5', 'come-back-10', 'auto-pause'] as const);

export interface NudgeState {
  now: Date;
  /** The learner's IANA zone. */
  zone: string;
  quietStart: TimeOfDay;
  quietEnd: TimeOfDay;
  nudgesEnabled: boolean;
  status: 'active' | 'paused' | 'unreachable';
  /** Local date of enrolment. */
  enrolledOn: LocalDate;
  /** Last local day with any activity (answer, finished quiz, practice, review). */
  lastActiveOn: LocalDate | null;
  activeToday: boolean;
  /** Current streak (days). */
  streak: number;
  /** Today's delivered lesson, if any. */
  todaysLesson: null | {
    deliveryId: number;
    title: string;
    practiceKind: 'practice' | 'experiment';
    deliveredAt: Date;
    quizDone: boolean;
    practised: boolean;
  };
  reviewsDue: number;
  /** Kinds already sent this local day. */
  sentToday: NudgeKind[];
  /** Kinds sent since lastActiveOn (so each come-back step goes once per quiet spell). */
  sentSinceActive: NudgeKind[];
  /** Most recent consecutive nudges followed by no activity. */
  ignoredInARow: number;
}

export interface NudgeDecision {
  kind: NudgeKind;
  reply: Reply;
  /** True only for 'auto-pause': the caller sets the learner's status to 'paused' with the send. */
  pauseLearner: boolean;
}

export interface NudgeRules {
  /** Most nudges in one learner-local day. */
  readonly maxPerDay: 2;
  /** Local hour from which an untouched streak counts as at risk. */
  readonly eveningHour: 18;
  /** Hours after the lesson's delivery before a practice prompt. */
  readonly practiceDelayHours: 2;
  /** Quiet days that trigger come-back-2, come-back-5 and come-back-10. */
  readonly comeBackDays: readonly [2, 5, 10];
  /** Quiet days after which the learner is paused (with a one-tap resume). */
  readonly autoPauseDays: 14;
  /** Ignored nudges in a row before backing off to one a day (twice as many: come-back only). */
  readonly backoffAfterIgnored: 3;
}

// Frozen so no caller can change the policy for everyone else.
export const NUDGE_RULES: NudgeRules = Object.freeze({
  maxPerDay: 2,
  eveningHour: 18,
  practiceDelayHours: 2,
  comeBackDays: Object.freeze([2, 5, 10] as const),
  autoPauseDays: 14,
  backoffAfterIgnored: 3,
});

const HOUR_MS = 3_600_000;
/** Longest lesson title quoted in a nudge; longer ones are cut with an ellipsis. */
const TITLE_MAX = 80;

/**
 * The one nudge to send now, or null. Pure and deterministic: the same state
 * always gives the same answer, whatever the process zone, and the state is
 * never mutated. `today` below is localDate(now, zone).
 *
 * Nothing at all when:
 * - nudges are disabled, or status is not 'active' (paused, unreachable);
 * - `now` is inside the learner's quiet hours [quietStart, quietEnd) in their
 *   zone (the window may wrap midnight; start == end means no quiet hours);
 * - sentToday.length >= maxPerDay (2);
 * - back-off: once ignoredInARow >= backoffAfterIgnored (3), at most one a day
 *   (sentToday.length >= 1 gives null); once ignoredInARow >= 2 * backoffAfterIgnored
 *   (6), only come-back kinds and 'auto-pause' remain.
 * A kind already in sentToday is never chosen (one per kind per local day).
 *
 * The come-back ladder, only when !activeToday. quietDays = calendar days from
 * the later of lastActiveOn and enrolledOn (enrolledOn alone when never active)
 * to today; the later of the two equals `lastActiveOn ?? enrolledOn` whenever
 * activity never predates enrolment, and keeps a re-enrolled learner from being
 * treated as quiet since their old activity. The highest step reached is the
 * only candidate, and only if not in sentSinceActive (each step once per quiet
 * spell, no catching up on skipped lower steps):
 * - quietDays >= autoPauseDays (14): 'auto-pause', pauseLearner true, a Resume button (run 'resume');
 * - >= 10: 'come-back-10'; >= 5: 'come-back-5'; >= 2: 'come-back-2'; each with a button that runs 'today'.
 *
 * Otherwise (quietDays < 2, the step was already sent, or it is ruled out
 * above), the first of these that applies:
 * 1. 'practice': todaysLesson exists, its quiz is done, it is not practised, and
 *    now >= deliveredAt + practiceDelayHours (2). Button: log practice for that delivery.
 * 2. 'streak-risk': streak > 0, !activeToday, local hour >= eveningHour (18).
 *    Button: run 'quiz'.
 * 3. 'review-due': reviewsDue > 0. Button: run 'review'.
 *
 * Every reply is a short Markdown text naming one concrete next step with
 * exactly one button; lesson titles are quoted with mentions neutralised, so a
 * nudge never pings @everyone, @here or a Slack <!channel>.
 *
 * Throws RangeError for a malformed state (invalid zone, date, time of day or count).
 */
export function decideNudge(state: NudgeState): NudgeDecision | null {
  assertState(state);
  const rules = NUDGE_RULES;

  if (!state.nudgesEnabled || state.status !== 'active') return null;
  if (isWithinQuietHours(state.now, state.zone, state.quietStart, state.quietEnd)) return null;

  // Counted as sends, not distinct kinds, so the budget holds even for a repeated kind.
  const sentCount = state.sentToday.length;
  if (sentCount >= rules.maxPerDay) return null;
  const backingOff = state.ignoredInARow >= rules.backoffAfterIgnored;
  if (backingOff && sentCount >= 1) return null;
  const comeBackOnly = state.ignoredInARow >= 2 * rules.backoffAfterIgnored;

  const allowed = (kind: NudgeKind): boolean =>
    !state.sentToday.includes(kind) && (!comeBackOnly || COME_BACK_KINDS.includes(kind));

  const today = localDate(state.now, state.zone);
  const since = state.lastActiveOn !== null && state.lastActiveOn > state.enrolledOn ? state.lastActiveOn : state.enrolledOn;
  const quietDays = Math.max(0, daysBetween(since, today));

  if (!state.activeToday) {
    const step = comeBackStep(quietDays);
    if (step !== null && !state.sentSinceActive.includes(step) && allowed(step)) {
      return step === 'auto-pause' ? autoPause(quietDays) : comeBack(step, quietDays, state.lastActiveOn !== null);
    }
  }

  const lesson = state.todaysLesson;
  if (
    allowed('practice') &&
    lesson !== null &&
    lesson.quizDone &&
    !lesson.practised &&
    state.now.getTime() >= lesson.deliveredAt.getTime() + rules.practiceDelayHours * HOUR_MS
  ) {
    return practice(lesson);
  }

  if (allowed('streak-risk') && state.streak > 0 && !state.activeToday && localHour(state.now, state.zone) >= rules.eveningHour) {
    return streakRisk(state.streak);
  }

  if (allowed('review-due') && state.reviewsDue > 0) return reviewDue(state.reviewsDue);

  return null;
}

/** The highest come-back step `quietDays` reaches, or null below the first one. */
function comeBackStep(quietDays: number): NudgeKind | null {
  const [two, five, ten] = NUDGE_RULES.comeBackDays;
  if (quietDays >= NUDGE_RULES.autoPauseDays) return 'auto-pause';
  if (quietDays >= ten) return 'come-back-10';
  if (quietDays >= five) return 'come-back-5';
  if (quietDays >= two) return 'come-back-2';
  return null;
}

function decision(kind: NudgeKind, text: string, button: Button, pauseLearner = false): NudgeDecision {
  return { kind, reply: { text, actions: [[button]] }, pauseLearner };
}

function comeBack(kind: NudgeKind, quietDays: number, everActive: boolean): NudgeDecision {
  const gap = everActive ? `It's been ${quietDays} days since your last session` : `It's been ${quietDays} days since you joined`;
  const text =
    kind === 'come-back-2'
      ? `👋 ${gap}. Open today's lesson; it only takes a few minutes.`
      : kind === 'come-back-5'
        ? `👋 ${gap}. No need to catch up on everything: just open today's lesson.`
        : `👋 ${gap}. Open today's lesson for a fresh start; everything you did before is kept.`;
  return decision(kind, text, { action: { kind: 'run', verb: 'today' }, label: "Open today's lesson", style: 'primary' });
}

function autoPause(quietDays: number): NudgeDecision {
  const text =
    `⏸️ It's been ${quietDays} quiet days, so I've paused your lessons and reminders to stop them piling up. ` +
    'Your progress is kept. Tap Resume whenever you want to pick up where you left off.';
  return decision('auto-pause', text, { action: { kind: 'run', verb: 'resume' }, label: 'Resume', style: 'primary' }, true);
}

function practice(lesson: NonNullable<NudgeState['todaysLesson']>): NudgeDecision {
  const title = quoteTitle(lesson.title);
  const text =
    lesson.practiceKind === 'experiment'
      ? `🧪 Try today's experiment from **${title}** and log what you saw.`
      : `🛠️ Try today's practice from **${title}** and log what you did.`;
  const label = lesson.practiceKind === 'experiment' ? 'Log experiment' : 'Log practice';
  return decision('practice', text, { action: { kind: 'practice', deliveryId: lesson.deliveryId }, label, style: 'primary' });
}

function streakRisk(streak: number): NudgeDecision {
  const days = streak === 1 ? '1-day streak' : `${streak}-day streak`;
  const text = `🔥 Your ${days} ends at midnight your time. Take today's quiz to keep it going.`;
  return decision('streak-risk', text, { action: { kind: 'run', verb: 'quiz' }, label: "Take today's quiz", style: 'primary' });
}

function reviewDue(count: number): NudgeDecision {
  const what = count === 1 ? '1 missed question is' : `${count} missed questions are`;
  const text = `🔁 ${what} waiting for review. Go through them now; it takes a couple of minutes.`;
  return decision('review-due', text, { action: { kind: 'run', verb: 'review' }, label: 'Start review', style: 'primary' });
}

/**
 * A lesson title made safe to quote in bold: one line, no Markdown markers
 * that would end the bold early, no mass or user mentions (Discord @everyone,
 * @here, <@id>; Slack <!here>, <!channel>, <@U…>), at most TITLE_MAX characters.
 */
function quoteTitle(title: string): string {
  let safe = title
    .replace(/\s+/g, ' ')
    .replace(/[*_~`|\\]/g, '')
    .replace(/@/g, '@\u200b')
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .trim();
  if (safe === '') safe = "today's lesson";
  const chars = Array.from(safe);
  return chars.length > TITLE_MAX ? `${chars.slice(0, TITLE_MAX - 1).join('').trimEnd()}…` : safe;
}

function localHour(instant: Date, zone: string): number {
  return DateTime.fromJSDate(instant, { zone }).hour;
}

function assertState(state: NudgeState): void {
  assertInstant('now', state.now);
  if (!isValidZone(state.zone)) throw new RangeError(`Invalid IANA time zone: ${JSON.stringify(state.zone)}`);
  assertDate('enrolledOn', state.enrolledOn);
  if (state.lastActiveOn !== null) assertDate('lastActiveOn', state.lastActiveOn);
  assertCount('streak', state.streak);
  assertCount('reviewsDue', state.reviewsDue);
  assertCount('ignoredInARow', state.ignoredInARow);
  if (state.todaysLesson !== null) {
    assertInstant('todaysLesson.deliveredAt', state.todaysLesson.deliveredAt);
    if (!Number.isSafeInteger(state.todaysLesson.deliveryId) || state.todaysLesson.deliveryId < 1) {
      throw new RangeError(`todaysLesson.deliveryId must be a positive integer, got ${state.todaysLesson.deliveryId}`);
    }
  }
  assertTime('quietStart', state.quietStart);
  assertTime('quietEnd', state.quietEnd);
}

function assertTime(name: string, t: TimeOfDay): void {
  const ok = Number.isInteger(t.hour) && Number.isInteger(t.minute) && t.hour >= 0 && t.hour <= 23 && t.minute >= 0 && t.minute <= 59;
  if (!ok) throw new RangeError(`${name} must be a time of day (0:00..23:59), got ${JSON.stringify(t)}`);
}

function assertInstant(name: string, value: Date): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new RangeError(`${name} must be a valid Date, got ${String(value)}`);
}

function assertDate(name: string, value: LocalDate): void {
  if (!isValidLocalDate(value)) throw new RangeError(`${name} must be a local date (yyyy-MM-dd), got ${JSON.stringify(value)}`);
}

function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}
