import type { Stores } from '../../app/ports.js';
import type { Db } from '../client.js';
import { practiceStore, statsStore, streakStore } from './activity.js';
import { answerStore } from './answers.js';
import { challengeStore } from './challenges.js';
import { cohortJobStore } from './cohort-jobs.js';
import { cohortReportStore } from './cohort-reports.js';
import { communityStore } from './communities.js';
import { deliveryStore } from './deliveries.js';
import { enrollmentStore } from './enrollments.js';
import { learnerStore } from './learners.js';
import { reviewStore } from './reviews.js';
import { submissionStore } from './submissions.js';

export function createStores(db: Db): Stores {
  return {
    communities: communityStore(db),
    learners: learnerStore(db),
    enrollments: enrollmentStore(db),
    deliveries: deliveryStore(db),
    answers: answerStore(db),
    reviews: reviewStore(db),
    practice: practiceStore(db),
    streaks: streakStore(db),
    stats: statsStore(db),
    challenges: challengeStore(db),
    submissions: submissionStore(db),
    cohortReports: cohortReportStore(db),
    cohortJobs: cohortJobStore(db),
  };
}
