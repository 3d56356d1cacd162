// The narrow interfaces cohort use cases need (db/ implements them). Every community-facing call takes the
// community id and only ever sees that community's rows.
import type { LearnerFacts, SelfReviewFacts } from '../../core/cohort-stats.js';
import type { ReminderKind, SubmissionStatus } from '../../core/deadlines.js';
import type { LeaderboardEntry } from '../../core/leaderboard.js';
import type { Platform } from '../ports.js';

/** communities.settings, as the cohort tools read and change them. */
export interface CohortSettings {
  cohortChannelId: string | null;
  leadRoleIds: string[];
  leadUserIds: string[];
  /** The cohort's timezone (deadlines, digest); also the default for learners who enrol without one. */
  timezone: string | null;
}

export interface Challenge {
  id: number;
  communityId: number;
  templateId: string | null;
  title: string;
  description: string;
  acceptance: string[];
  points: number;
  dueAt: Date;
  /** When the current deadline was set (posting or the last extend): reminders already past then are skipped. */
  dueSetAt: Date;
  status: 'open' | 'closed';
  channelId: string | null;
  messageRef: string | null;
  createdBy: string;
  createdAt: Date;
  closedAt: Date | null;
}

export type NewChallenge = Pick<Challenge, 'communityId' | 'templateId' | 'title' | 'description' | 'acceptance' | 'points' | 'dueAt' | 'channelId' | 'createdBy' | 'createdAt'>;

export interface ChallengeCounts {
  submitted: number;
  late: number;
  accepted: number;
  pending: number;
}

export interface Submission {
  id: number;
  challengeId: number;
  learnerId: number;
  link: string | null;
  note: string;
  late: boolean;
  status: SubmissionStatus;
  submittedAt: Date;
  updatedAt: Date;
}

/** A submission with what a reviewer (and the decision DM) needs. */
export interface ReviewItem {
  submissionId: number;
  challengeId: number;
  challengeTitle: string;
  points: number;
  dueAt: Date;
  learnerId: number;
  learnerName: string;
  learnerExternalId: string;
  dmChannelId: string | null;
  link: string | null;
  note: string;
  late: boolean;
  status: SubmissionStatus;
  submittedAt: Date;
}

export type Decision = 'accepted' | 'changes_requested';

export interface ChallengeStore {
  create(input: NewChallenge): Promise<Challenge>;
  get(communityId: number, challengeId: number): Promise<Challenge | null>;
  /** Newest deadline first; open ones, closed ones or both. */
  list(communityId: number, which: 'open' | 'closed' | 'all', limit: number): Promise<(Challenge & ChallengeCounts)[]>;
  counts(communityId: number, challengeId: number): Promise<ChallengeCounts>;
  markPosted(communityId: number, challengeId: number, messageRef: string): Promise<void>;
  /** Closes an open challenge now; null when it is not open (or not in this community). */
  close(communityId: number, challengeId: number, at: Date): Promise<Challenge | null>;
  /** Moves the deadline (re-opening a closed challenge); reminders are re-planned from `at`. */
  extend(communityId: number, challengeId: number, dueAt: Date, at: Date): Promise<Challenge | null>;
}

export interface SubmissionStore {
  mine(communityId: number, challengeId: number, learnerId: number): Promise<Submission | null>;
  /** Creates or replaces the learner's one submission; an edit goes back to pending review. */
  save(input: { communityId: number; challengeId: number; learnerId: number; link: string | null; note: string; late: boolean; at: Date }): Promise<Submission>;
  ofLearner(communityId: number, learnerId: number): Promise<Submission[]>;
  /** Pending submissions, oldest first; without `exceptLearnerId`'s own (a lead never reviews their own). */
  queue(communityId: number, limit: number, exceptLearnerId?: number | null): Promise<ReviewItem[]>;
  pendingCount(communityId: number, exceptLearnerId?: number | null): Promise<number>;
  find(communityId: number, submissionId: number): Promise<ReviewItem | null>;
  /**
   * Records a lead's decision if the submission is in this community and still in one of `from`; the
   * accepted challenge's points go with an acceptance when `awardPoints` (core's reviewEarnsPoints says).
   * Null when nothing changed (someone else decided first).
   */
  decide(input: { communityId: number; submissionId: number; decision: Decision; from: SubmissionStatus[]; feedback: string | null; reviewer: string; awardPoints: boolean; at: Date }): Promise<{ reviewId: number; item: ReviewItem } | null>;
  markNotified(reviewId: number, at: Date): Promise<void>;
}

export interface StatsFacts {
  learners: LearnerFacts[];
  /** Answers per question, this community only. */
  questions: { questionId: string; answered: number; correct: number }[];
  pendingReviews: number;
  /** Submissions accepted by their own submitter. */
  selfReviewed: SelfReviewFacts[];
}

export interface ExportRows {
  learners: {
    learnerId: number;
    externalId: string;
    name: string;
    timezone: string;
    status: string;
    joinedAt: Date;
    lessonsDelivered: number;
    quizzesFinished: number;
    answered: number;
    correct: number;
    practiceLogs: number;
    streakCurrent: number;
    streakLongest: number;
    streakLastActive: string | null;
    challengePoints: number;
  }[];
  answers: { learnerExternalId: string; learnerName: string; lessonId: string; questionId: string; choice: number; correct: boolean; answeredAt: Date; localDate: string }[];
  submissions: {
    challengeId: number;
    challengeTitle: string;
    learnerExternalId: string;
    learnerName: string;
    link: string | null;
    note: string;
    status: string;
    late: boolean;
    submittedAt: Date;
    updatedAt: Date;
    reviewer: string | null;
    feedback: string | null;
    points: number;
    /** The latest review was made by the submitter (null: not reviewed yet). */
    selfReviewed: boolean | null;
  }[];
}

export interface DigestFacts {
  streaks: { name: string; timezone: string; current: number; lastActive: string | null }[];
  /** Challenges whose deadline fell in the window, and those still open. */
  challenges: (Challenge & ChallengeCounts)[];
  /** Quizzes finished per lesson in the window. */
  lessons: { lessonId: string; finished: number }[];
}

export interface CohortReportStore {
  leaderboard(communityId: number): Promise<LeaderboardEntry[]>;
  statsFacts(communityId: number): Promise<StatsFacts>;
  exportRows(communityId: number): Promise<ExportRows>;
  digestFacts(communityId: number, since: Date, now: Date): Promise<DigestFacts>;
  /** External ids of everyone who posted a challenge or reviewed a submission here since `since`. */
  recentLeads(communityId: number, since: Date): Promise<string[]>;
}

/** A community as the cohort jobs need it. */
export interface CohortCommunity {
  id: number;
  platform: Platform;
  externalId: string;
  settings: CohortSettings;
}

export interface ReminderRecipient {
  learnerId: number;
  externalId: string;
  displayName: string;
  dmChannelId: string | null;
}

/** Cross-community queries for the cohort jobs; each result names its community. */
export interface CohortJobStore {
  /** Open challenges whose deadline is at or before `horizon` (indexed). */
  openDueBy(horizon: Date, limit: number): Promise<{ challengeId: number; communityId: number; dueAt: Date; dueSetAt: Date; timezone: string | null }[]>;
  /** Open challenges created before `before` that were never posted to their channel. */
  unposted(before: Date, limit: number): Promise<{ challengeId: number; communityId: number }[]>;
  /** Decisions made before `before` whose learner was never told. */
  unnotified(before: Date, limit: number): Promise<{ reviewId: number; communityId: number }[]>;
  /** Communities with a cohort channel, for the weekly digest, with the last week whose digest went out. */
  digestCommunities(): Promise<(CohortCommunity & { lastDigestWeek: string | null })[]>;
  community(communityId: number): Promise<CohortCommunity | null>;
  challenge(challengeId: number): Promise<{ challenge: Challenge & { summarySentAt: Date | null }; community: CohortCommunity } | null>;
  /** Active learners of the challenge's community without a submission for it, in id order after `afterId`. */
  nonSubmitters(challengeId: number, afterId: number, limit: number): Promise<ReminderRecipient[]>;
  /** Reserves one reminder; null when it was already sent (a retry of an unsent one gets its id back). */
  claimReminder(challengeId: number, learnerId: number, kind: ReminderKind, dueAt: Date): Promise<number | null>;
  markReminderSent(reminderId: number, at: Date): Promise<void>;
  /** Closes the challenge if it is open and its deadline is still `dueAt` and has passed. */
  closeAtDeadline(challengeId: number, dueAt: Date, at: Date): Promise<boolean>;
  markSummarySent(challengeId: number, at: Date): Promise<void>;
  review(reviewId: number): Promise<{ reviewId: number; decision: Decision; feedback: string | null; notifiedAt: Date | null; item: ReviewItem; community: CohortCommunity } | null>;
  /** Reserves the week's digest; false when it was already sent. */
  claimDigest(communityId: number, week: string): Promise<boolean>;
  markDigestSent(communityId: number, week: string, at: Date): Promise<void>;
}

/** A chart the stats reply attaches: horizontal bars, one panel each. */
export interface BarChart {
  title: string;
  unit: 'percent' | 'count';
  bars: { label: string; value: number; highlight?: boolean }[];
}

/** Renders charts to a PNG (src/charts implements it). */
export interface ChartRenderer {
  renderPng(charts: BarChart[]): Promise<Uint8Array>;
}
