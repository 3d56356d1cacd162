import type { AppContext, Jobs, Log, Messenger, NudgeStore, Platform, SchedulerStore } from '../ports.js';

/** What job handlers get: the app, the scheduler's queries, a way to enqueue, and each platform's messenger. */
export interface JobContext {
  app: AppContext;
  scheduler: SchedulerStore;
  nudges: NudgeStore;
  jobs: Jobs;
  messengers: Partial<Record<Platform, Messenger>>;
  log: Log;
}
