// The narrow interfaces the use cases need. db/ implements the stores; platforms implement Messenger.
import type { CourseIndex } from '../core/course.js';
import type { ReviewCard } from '../core/review.js';
import type { StreakSummary } from '../core/streak.js';
import type { Reply } from '../core/reply.js';
import type { ChallengeStore, ChartRenderer, CohortJobStore, CohortReportStore, CohortSettings, SubmissionStore } from './cohort/ports.js';

export type Platform = 'discord' | 'slack' | 'console';

export interface Clock {
  now(): Date;
}

export interface CommunityRef {
  platform: Platform;
  externalId: string;
  name?: string;
}

export interface Community {
  id: number;
  platform: Platform;
  externalId: string;
  defaultTimezone: string | null;
  leadRoleIds: string[];
  leadUserIds: string[];
}

export interface Learner {
  id: number;
  communityId: number;
  externalId: string;
  displayName: string;
  timezone: string;
  deliveryTime: string;
  status: 'active' | 'paused' | 'unreachable';
  nudgesEnabled: boolean;
  quietStart: string;
  quietEnd: string;
}

export interface Enrollment {
  id: number;
  learnerId: number;
  courseId: string;
  position: number;
  nextDeliveryAt: Date | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export interface Delivery {
  id: number;
  enrollmentId: number;
  learnerId: number;
  localDate: string;
  lessonId: string;
}

/**
 * 'sent' once the learner has the lesson (a scheduled send succeeded, or it was the reply to a request);
 * 'pending' while a scheduled send is being tried; 'failed' when it never reached them (unreachable, or
 * the day ended first: the next day brings the same lesson).
 */
export type DeliveryState = 'pending' | 'sent' | 'failed';

/** A day's delivery as createForDay leaves it. */
export type DayDelivery = Delivery & {
  state: DeliveryState;
  /** This call made the row. */
  created: boolean;
  /** Scheduled send attempts begun, this one included. */
  attempts: number;
  /** This call changed the row: began a scheduled attempt, or handed out a lesson that had not reached the learner. */
  began: boolean;
  /** For a scheduled send: when an earlier attempt that may have posted began (look before posting again). */
  unsureBefore: Date | null;
};

export interface NewDelivery {
  /** When it is created (the injected clock: nudges time themselves from it). */
  at: Date;
  enrollment: Enrollment;
  localDate: string;
  lessonId: string;
  state: 'pending' | 'sent';
  finishedAt: Date | null;
  nextDeliveryAt: Date | null;
}

export interface AnswerRecord {
  questionId: string;
  choice: number;
  correct: boolean;
}

export interface NewLearner {
  communityId: number;
  externalId: string;
  displayName: string;
  timezone: string;
  deliveryTime: string;
  /** Where they enrolled: where to tell them if direct messages stop working. */
  deliveryChannelId: string | null;
}

/** A learner as `learners.find` reads them: with when `/learn forget` was asked and not yet confirmed or disarmed. */
export type FoundLearner = Learner & { forgetArmedAt: Date | null };

export type LearnerSettings = Partial<Pick<Learner, 'timezone' | 'deliveryTime' | 'status' | 'nudgesEnabled' | 'quietStart' | 'quietEnd' | 'displayName'>> & {
  deliveryChannelId?: string | null;
};

export interface Stores {
  communities: {
    /** Finds or creates the community (Discord guild, Slack team, console). */
    ensure(ref: CommunityRef): Promise<Community>;
    /** The cohort settings as stored now (not cached: another process may have changed them). */
    settings(communityId: number): Promise<CohortSettings>;
    /** Changes the cohort settings atomically (read, change, write in one transaction). */
    updateSettings(communityId: number, change: (current: CohortSettings) => CohortSettings): Promise<CohortSettings>;
  };
  learners: {
    find(communityId: number, externalId: string): Promise<FoundLearner | null>;
    /**
     * The learner this process last read or wrote for that person, without a query. It may be stale
     * (another process may have changed or deleted them): only for a write that verifies it (answers.record).
     */
    recent(communityId: number, externalId: string): Learner | null;
    create(learner: NewLearner): Promise<Learner>;
    update(learnerId: number, settings: LearnerSettings): Promise<Learner>;
    /** Deletes the learner and everything that belongs to them. */
    remove(learnerId: number): Promise<void>;
    exists(learnerId: number): Promise<boolean>;
    /** Arms `/learn forget` at `at` (see commands/forget.ts): replaces an earlier arming. */
    armForget(learnerId: number, at: Date): Promise<void>;
    /** Ends an arming, if there is one. */
    disarmForget(learnerId: number): Promise<void>;
    /** remove(), only while `/learn forget` stands armed at exactly `armedAt`; false (nothing deleted) otherwise. */
    removeIfArmed(learnerId: number, armedAt: Date): Promise<boolean>;
    /** Everything stored about the learner, for `export`. */
    exportData(learnerId: number): Promise<Record<string, unknown>>;
  };
  enrollments: {
    find(learnerId: number, courseId: string): Promise<Enrollment | null>;
    /** The enrolment with the delivery standing for the day (as deliveries.forDay) and its answers so far, in one read. */
    today(
      learnerId: number,
      courseId: string,
      localDate: string,
    ): Promise<{ enrollment: Enrollment; delivery: (Delivery & { state: DeliveryState }) | null; answers: AnswerRecord[] } | null>;
    create(learnerId: number, courseId: string, nextDeliveryAt: Date, startedAt: Date): Promise<Enrollment>;
    setNextDelivery(enrollmentId: number, nextDeliveryAt: Date | null): Promise<void>;
  };
  deliveries: {
    find(deliveryId: number): Promise<Delivery | null>;
    /**
     * The delivery that stands for that local day: the day's own row, or a lesson already sent for a later
     * local date (the learner moved west across the date line: that lesson is still "today's").
     */
    forDay(enrollmentId: number, localDate: string): Promise<(Delivery & { state: DeliveryState }) | null>;
    /** The latest lesson the learner has received. */
    latest(enrollmentId: number): Promise<Delivery | null>;
    /**
     * The day's delivery of lessons[enrollment.position], once per (enrollment, local date). 'sent' (a
     * request) hands the lesson out and advances the position, also when a scheduled send of it is still
     * pending. 'pending' (a scheduled send) begins an attempt: the row is written before the send, and
     * the position moves only when scheduler.markSent records it. A row already sent comes back as it is.
     */
    createForDay(input: NewDelivery): Promise<DayDelivery>;
  };
  answers: {
    forDelivery(deliveryId: number): Promise<AnswerRecord[]>;
    /**
     * Atomically records one answer, the review card for a miss (kept if the learner already has one for
     * that question) and, when it is the quiz's last answer, the local day the quiz was finished.
     * Returns null when the question was already answered (nothing changes).
     */
    record(input: {
      delivery: Delivery;
      questionId: string;
      choice: number;
      correct: boolean;
      at: Date;
      localDate: string;
      questionCount: number;
      newCard: ReviewCard | null;
      /** Write only if the delivery's learner is still this person in this timezone (a `recent` learner); else 'unverified'. */
      verify?: { communityId: number; externalId: string; timezone: string };
    }): Promise<{ answers: AnswerRecord[]; completed: false } | { answers: AnswerRecord[]; completed: true; activityDates: string[] } | null | 'unverified'>;
  };
  reviews: {
    due(learnerId: number, now: Date, limit: number): Promise<{ questionId: string; card: ReviewCard }[]>;
    countDue(learnerId: number, now: Date): Promise<number>;
    get(learnerId: number, questionId: string): Promise<ReviewCard | null>;
    /**
     * Records a review answer atomically: the card moves on only if it is still due at `at` (a second
     * press of the same question changes nothing: null), and `localDate` becomes a review day (activity
     * for the streak). `firstToday` says whether that day was new.
     */
    answer(input: { learnerId: number; questionId: string; card: ReviewCard; at: Date; localDate: string }): Promise<{ firstToday: boolean } | null>;
  };
  practice: {
    log(input: { learnerId: number; lessonId: string | null; kind: 'practice' | 'experiment'; note: string; link: string | null; localDate: string; createdAt: Date }): Promise<void>;
    count(learnerId: number): Promise<number>;
  };
  streaks: {
    /** Local dates with a finished quiz, logged practice or a review answered. */
    activityDates(learnerId: number): Promise<string[]>;
    save(learnerId: number, summary: StreakSummary, at: Date): Promise<void>;
  };
  stats: {
    /** Lessons delivered, quizzes finished, answers and right answers. */
    progress(learnerId: number): Promise<{ delivered: number; quizzesDone: number; answered: number; correct: number }>;
  };
  challenges: ChallengeStore;
  submissions: SubmissionStore;
  cohortReports: CohortReportStore;
  cohortJobs: CohortJobStore;
}

/** Everything a use case needs, passed in by main.ts. */
export interface AppContext {
  stores: Stores;
  clock: Clock;
  catalog: CourseIndex;
  defaults: { timezone: string; deliveryTime: string };
  /**
   * Proactive sends from commands: a challenge posted to the cohort channel, a review decision by DM.
   * Optional: without one, the cohort scan job sends them within a minute or two.
   */
  messengers?: Partial<Record<Platform, Messenger>>;
  /** Draws the `/cohort stats` chart; without it, stats are text only. */
  charts?: ChartRenderer;
}

/** Structured logging, as pino provides it. */
export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Who a direct message goes to, as the platform knows them. */
export interface Recipient {
  communityExternalId: string;
  userExternalId: string;
  /** The DM channel, when a previous send learned it (saves a lookup). */
  dmChannelId: string | null;
}

export interface SentMessage {
  /** Platform reference to the message (Discord message id, Slack ts). */
  ref: string;
  channelId: string;
}

/**
 * The platform answered that it did not post the message (429, 503, a refused request): a retry cannot
 * double it. Any other failure may have posted it (a timeout, a reset connection, a crash).
 */
export class NotPosted extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'NotPosted';
  }
}

/** A send that retries one which may have posted: look on the platform for `key` before posting again. */
export interface UnsureRetry {
  /** When the first attempt that may have posted began. */
  since: Date;
  now: Date;
}

/** The platform refused to deliver to this person (Discord 50007, Slack cannot_dm / user_not_found). */
export class RecipientUnreachable extends Error {
  constructor(readonly reason: string) {
    super(`recipient unreachable: ${reason}`);
    this.name = 'RecipientUnreachable';
  }
}

/** Proactive messages (daily lessons, nudges, cohort posts), one implementation per platform. */
export interface Messenger {
  /**
   * Direct-messages a learner. `key` is stable per logical message (for example lesson:12:2026-11-25):
   * a platform that can, uses it so a retried send never shows the message twice.
   * Throws RecipientUnreachable when the platform says this person cannot be messaged, NotPosted when it
   * said it did not post, anything else when it may have. With `unsure`, a message already posted under
   * `key` since then is returned instead of posting it again.
   */
  sendDirect(to: Recipient, reply: Reply, key: string, unsure?: UnsureRetry): Promise<SentMessage>;
  /** Posts in a channel of a community (cohort channel, a note to someone who closed their DMs). */
  sendToChannel(communityExternalId: string, channelId: string, reply: Reply, key: string, unsure?: UnsureRetry): Promise<SentMessage>;
  /** Whether the bot can post there (cards with pictures and files), asked before a lead picks the cohort channel. */
  channelAccess?(communityExternalId: string, channelId: string): Promise<ChannelAccess>;
}

export type ChannelAccess =
  | { ok: true }
  | { ok: false; problem: 'unknown-channel' | 'not-member' | 'archived' }
  | { ok: false; problem: 'missing-permissions'; missing: string[] };

/** A platform connection main.ts starts and stops: Discord gateway, Slack Bolt app. */
export interface PlatformAdapter {
  platform: Platform;
  messenger: Messenger;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Per-workspace credentials from an OAuth install (Slack), kept in Postgres. */
export interface Installations {
  save(platform: Platform, externalId: string, data: Record<string, unknown>): Promise<void>;
  fetch(platform: Platform, externalId: string): Promise<Record<string, unknown> | null>;
  remove(platform: Platform, externalId: string): Promise<void>;
}

/** Work handed to BullMQ; job ids derive from the keys, so enqueueing twice is harmless. */
export interface Jobs {
  enqueueLessons(items: LessonJob[]): Promise<void>;
  enqueueNudges(items: NudgeJob[]): Promise<void>;
  enqueueCohort(items: CohortJob[]): Promise<void>;
}

/** Cohort work, each carrying its idempotency key; handlers re-check Postgres before acting. */
export type CohortJob =
  /** Remind non-submitters; `dueAt` is the deadline it was planned for (an extend makes it a no-op). */
  | { type: 'challenge-remind'; challengeId: number; kind: '24h' | '1h'; dueAt: string }
  | { type: 'challenge-close'; challengeId: number; dueAt: string }
  | { type: 'challenge-post'; challengeId: number; communityId: number }
  | { type: 'review-notify'; reviewId: number; communityId: number }
  | { type: 'digest'; communityId: number; week: string };

export interface LessonJob {
  enrollmentId: number;
  /** The learner's local date the lesson is for. */
  localDate: string;
}

export interface NudgeJob {
  learnerId: number;
  kind: string;
  localDate: string;
}

/** Everything the delivery job needs about one enrolment. */
export interface DeliveryTarget {
  enrollment: Enrollment;
  learner: Learner & { dmChannelId: string | null; deliveryChannelId: string | null; unreachableNotifiedAt: Date | null };
  community: Community & { cohortChannelId: string | null };
}

export interface SchedulerStore {
  /** Active, unfinished enrolments due at `now`, in id order after `afterId` (keyset batches). */
  dueEnrollments(now: Date, afterId: number, limit: number): Promise<{ enrollmentId: number; timezone: string }[]>;
  target(enrollmentId: number): Promise<DeliveryTarget | null>;
  /** Records the send and only then moves the enrolment on, so a lost job is re-enqueued by the next tick. */
  markSent(input: { deliveryId: number; messageRef: string; dmChannelId: string | null; learnerId: number; enrollmentId: number; nextDeliveryAt: Date | null; finishedAt: Date | null }): Promise<void>;
  /**
   * An attempt that failed: try again at `nextDeliveryAt` (the next tick after it enqueues the lesson).
   * `clearUnsure` when the platform said this attempt did not post and no earlier one may have: the next
   * attempt has nothing to look for.
   */
  retryLater(input: { deliveryId: number; enrollmentId: number; nextDeliveryAt: Date; clearUnsure: boolean }): Promise<void>;
  /** A send that can never succeed: the delivery is marked failed and its lesson is handed out next time. */
  markFailed(deliveryId: number): Promise<void>;
  /** Marks the learner unreachable; returns true only the first time (so they are told once). */
  markUnreachable(learnerId: number, at: Date): Promise<boolean>;
}

/** What the nudge policy needs to know about one learner, as stored facts (the app derives local days). */
export interface NudgeFacts {
  target: Omit<DeliveryTarget, 'enrollment'>;
  enrolledAt: Date;
  lastActivityAt: Date | null;
  /** Local days with a finished quiz, logged practice or a review answered: the streak is computed from these, as `/learn streak` does. */
  activityDates: string[];
  latestDelivery: null | { id: number; lessonId: string; localDate: string; deliveredAt: Date; quizDone: boolean; practised: boolean };
  reviewsDue: number;
  /** Nudges of the last few weeks. */
  recentNudges: { kind: string; localDate: string; sentAt: Date | null }[];
}

export interface NudgeStore {
  /** Learners who may be nudged (active, nudges on, enrolled), in id order after `afterId`. */
  candidates(courseId: string, now: Date, afterId: number, limit: number): Promise<NudgeFacts[]>;
  facts(courseId: string, learnerId: number, now: Date): Promise<NudgeFacts | null>;
  /** Reserves (learner, kind, local day); null when that nudge was already sent (a retry of an unsent one gets its id back). */
  claim(learnerId: number, kind: string, localDate: string): Promise<number | null>;
  markSent(nudgeId: number, at: Date): Promise<void>;
}
