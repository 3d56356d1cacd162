// The whole data model (ARCHITECTURE.md "Data model"). Postgres is the source of truth.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity();
const ref = (name: string) => bigint(name, { mode: 'number' });
const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => at('created_at').notNull().defaultNow();

export interface CommunitySettings {
  cohortChannelId?: string;
  leadRoleIds?: string[];
  leadUserIds?: string[];
  defaultTimezone?: string;
}

export const communities = pgTable(
  'communities',
  {
    id: id(),
    platform: text('platform').$type<'discord' | 'slack' | 'console'>().notNull(),
    externalId: text('external_id').notNull(),
    name: text('name'),
    settings: jsonb('settings').$type<CommunitySettings>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('communities_platform_external').on(t.platform, t.externalId)],
);

export const learners = pgTable(
  'learners',
  {
    id: id(),
    communityId: ref('community_id').notNull().references(() => communities.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull(),
    displayName: text('display_name').notNull(),
    timezone: text('timezone').notNull(),
    deliveryTime: text('delivery_time').notNull(),
    deliveryTarget: text('delivery_target').$type<'dm' | 'channel'>().notNull().default('dm'),
    deliveryChannelId: text('delivery_channel_id'),
    dmChannelId: text('dm_channel_id'),
    status: text('status').$type<'active' | 'paused' | 'unreachable'>().notNull().default('active'),
    nudgesEnabled: boolean('nudges_enabled').notNull().default(true),
    quietStart: text('quiet_start').notNull().default('21:00'),
    quietEnd: text('quiet_end').notNull().default('08:00'),
    unreachableNotifiedAt: at('unreachable_notified_at'),
    /** `/learn forget` was asked then and awaits its confirmation; any other request clears it (app/commands/forget.ts). */
    forgetArmedAt: at('forget_armed_at'),
    createdAt: createdAt(),
  },
  // The second index serves direct messages, which carry a user but no community (app/direct.ts).
  (t) => [uniqueIndex('learners_community_external').on(t.communityId, t.externalId), index('learners_external').on(t.externalId)],
);

export const enrollments = pgTable(
  'enrollments',
  {
    id: id(),
    learnerId: ref('learner_id').notNull().references(() => learners.id, { onDelete: 'cascade' }),
    courseId: text('course_id').notNull(),
    /** How many lessons have been delivered; the next lesson is lessons[position]. */
    position: integer('position').notNull().default(0),
    nextDeliveryAt: at('next_delivery_at'),
    startedAt: at('started_at').notNull().defaultNow(),
    finishedAt: at('finished_at'),
  },
  (t) => [
    uniqueIndex('enrollments_learner_course').on(t.learnerId, t.courseId),
    index('enrollments_due').on(t.nextDeliveryAt).where(sql`finished_at is null`),
  ],
);

export const deliveries = pgTable(
  'deliveries',
  {
    id: id(),
    enrollmentId: ref('enrollment_id').notNull().references(() => enrollments.id, { onDelete: 'cascade' }),
    learnerId: ref('learner_id').notNull().references(() => learners.id, { onDelete: 'cascade' }),
    localDate: date('local_date', { mode: 'string' }).notNull(),
    lessonId: text('lesson_id').notNull(),
    state: text('state').$type<'pending' | 'sent' | 'failed'>().notNull().default('pending'),
    messageRef: text('message_ref'),
    /** Scheduled send attempts begun (the first is written before the send, so a crash mid-send counts). */
    attempts: integer('attempts').notNull().default(0),
    /**
     * When the first attempt whose outcome is unknown began (a crash, a timeout, a response lost on the
     * way back): the message may be on the platform, so the next attempt looks before it posts.
     */
    unsureSince: at('unsure_since'),
    /** The learner's local date on which the quiz was finished; an activity day for the streak. */
    quizCompletedOn: date('quiz_completed_on', { mode: 'string' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('deliveries_enrollment_day').on(t.enrollmentId, t.localDate),
    index('deliveries_learner').on(t.learnerId),
  ],
);

export const answers = pgTable(
  'answers',
  {
    id: id(),
    deliveryId: ref('delivery_id').notNull().references(() => deliveries.id, { onDelete: 'cascade' }),
    learnerId: ref('learner_id').notNull().references(() => learners.id, { onDelete: 'cascade' }),
    questionId: text('question_id').notNull(),
    choice: integer('choice').notNull(),
    correct: boolean('correct').notNull(),
    answeredAt: at('answered_at').notNull(),
    localDate: date('local_date', { mode: 'string' }).notNull(),
  },
  (t) => [uniqueIndex('answers_delivery_question').on(t.deliveryId, t.questionId), index('answers_learner').on(t.learnerId)],
);

export const reviewCards = pgTable(
  'review_cards',
  {
    learnerId: ref('learner_id').notNull().references(() => learners.id, { onDelete: 'cascade' }),
    questionId: text('question_id').notNull(),
    due: at('due').notNull(),
    /** ts-fsrs card state (dates as ISO strings). */
    card: jsonb('card').$type<Record<string, unknown>>().notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.learnerId, t.questionId] }), index('review_cards_due').on(t.learnerId, t.due)],
);

export const practiceLogs = pgTable(
  'practice_logs',
  {
    id: id(),
    learnerId: ref('learner_id').notNull().references(() => learners.id, { onDelete: 'cascade' }),
    lessonId: text('lesson_id'),
    kind: text('kind').$type<'practice' | 'experiment'>().notNull(),
    note: text('note').notNull(),
    link: text('link'),
    localDate: date('local_date', { mode: 'string' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('practice_logs_learner').on(t.learnerId, t.localDate)],
);

/**
 * The local days a learner answered a due review question, once per day: activity for the streak like a
 * finished quiz or logged practice (review_cards keeps only each card's latest review).
 */
export const reviewDays = pgTable(
  'review_days',
  {
    learnerId: ref('learner_id').notNull().references(() => learners.id, { onDelete: 'cascade' }),
    localDate: date('local_date', { mode: 'string' }).notNull(),
    /** The day's first review answer. */
    createdAt: at('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.learnerId, t.localDate] })],
);

/** A cache of the streak; always rebuildable from deliveries.quiz_completed_on, practice_logs and review_days. */
export const streaks = pgTable('streaks', {
  learnerId: ref('learner_id').primaryKey().references(() => learners.id, { onDelete: 'cascade' }),
  current: integer('current').notNull().default(0),
  longest: integer('longest').notNull().default(0),
  freezes: integer('freezes').notNull().default(0),
  lastActive: date('last_active', { mode: 'string' }),
  updatedAt: at('updated_at').notNull(),
});

export const nudges = pgTable(
  'nudges',
  {
    id: id(),
    learnerId: ref('learner_id').notNull().references(() => learners.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    localDate: date('local_date', { mode: 'string' }).notNull(),
    sentAt: at('sent_at'),
    outcome: text('outcome'),
  },
  (t) => [uniqueIndex('nudges_learner_kind_day').on(t.learnerId, t.kind, t.localDate)],
);

export const challenges = pgTable(
  'challenges',
  {
    id: id(),
    communityId: ref('community_id').notNull().references(() => communities.id, { onDelete: 'cascade' }),
    templateId: text('template_id'),
    title: text('title').notNull(),
    description: text('description').notNull(),
    acceptance: jsonb('acceptance').$type<string[]>().notNull().default([]),
    points: integer('points').notNull(),
    dueAt: at('due_at').notNull(),
    /** When the current deadline was set: reminders already past at that moment are skipped. */
    dueSetAt: at('due_set_at').notNull().defaultNow(),
    status: text('status').$type<'open' | 'closed'>().notNull().default('open'),
    channelId: text('channel_id'),
    messageRef: text('message_ref'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    closedAt: at('closed_at'),
    /** The deadline summary reached the lead (sent once, after the automatic close). */
    summarySentAt: at('summary_sent_at'),
  },
  (t) => [
    index('challenges_community_status').on(t.communityId, t.status),
    // The cohort scan: open challenges by deadline.
    index('challenges_open_due').on(t.dueAt).where(sql`status = 'open'`),
  ],
);

export const submissions = pgTable(
  'submissions',
  {
    id: id(),
    challengeId: ref('challenge_id').notNull().references(() => challenges.id, { onDelete: 'cascade' }),
    learnerId: ref('learner_id').notNull().references(() => learners.id, { onDelete: 'cascade' }),
    link: text('link'),
    note: text('note').notNull(),
    late: boolean('late').notNull().default(false),
    status: text('status').$type<'pending' | 'accepted' | 'changes_requested'>().notNull().default('pending'),
    submittedAt: at('submitted_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [uniqueIndex('submissions_challenge_learner').on(t.challengeId, t.learnerId), index('submissions_learner').on(t.learnerId)],
);

export const reviews = pgTable(
  'reviews',
  {
    id: id(),
    submissionId: ref('submission_id').notNull().references(() => submissions.id, { onDelete: 'cascade' }),
    reviewerExternalId: text('reviewer_external_id').notNull(),
    decision: text('decision').$type<'accepted' | 'changes_requested'>().notNull(),
    feedback: text('feedback'),
    points: integer('points').notNull().default(0),
    createdAt: createdAt(),
    /** The learner was told (by DM); null until then, so the cohort scan retries. */
    notifiedAt: at('notified_at'),
  },
  (t) => [index('reviews_submission').on(t.submissionId), index('reviews_unnotified').on(t.createdAt).where(sql`notified_at is null`)],
);

/** One deadline reminder to one learner: (challenge, learner, kind, deadline) is sent at most once. */
export const challengeReminders = pgTable(
  'challenge_reminders',
  {
    id: id(),
    challengeId: ref('challenge_id').notNull().references(() => challenges.id, { onDelete: 'cascade' }),
    learnerId: ref('learner_id').notNull().references(() => learners.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<'24h' | '1h'>().notNull(),
    dueAt: at('due_at').notNull(),
    sentAt: at('sent_at'),
  },
  (t) => [uniqueIndex('challenge_reminders_once').on(t.challengeId, t.learnerId, t.kind, t.dueAt)],
);

/** The weekly digest of a community, once per week (the Monday, in the cohort's zone). */
export const digests = pgTable(
  'digests',
  {
    communityId: ref('community_id').notNull().references(() => communities.id, { onDelete: 'cascade' }),
    week: date('week', { mode: 'string' }).notNull(),
    sentAt: at('sent_at'),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.week] })],
);

/** OAuth installs (a Slack workspace's bot token and scopes). Secrets: never log a row. */
export const installations = pgTable(
  'installations',
  {
    platform: text('platform').$type<'discord' | 'slack' | 'console'>().notNull(),
    externalId: text('external_id').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.externalId] })],
);
