// A real app context (real stores on a real Postgres) with a clock the test moves.
import path from 'node:path';
import { dispatch } from '../../src/app/dispatch.js';
import type { Inbound, InboundRequest, InboundUser } from '../../src/app/inbound.js';
import type { AppContext, CommunityRef, Log, Messenger, Platform } from '../../src/app/ports.js';
import { parseCohortText, parseCommandText } from '../../src/app/grammar.js';
import { indexCourse, type CourseIndex } from '../../src/core/course.js';
import { encodeAction, type ActionId, type Reply } from '../../src/core/reply.js';
import { loadCourse } from '../../src/content/load.js';
import { createStores } from '../../src/db/stores/index.js';
import type { TestDatabase } from './db.js';

export class TestClock {
  constructor(public current: Date) {}
  now = (): Date => new Date(this.current);
  set(iso: string): void {
    this.current = new Date(iso);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** Records what the app logs, so a test can fail on an unexpected error. */
export class RecordingLog implements Log {
  entries: { level: string; obj: object; msg?: string }[] = [];
  info = (obj: object, msg?: string) => void this.entries.push({ level: 'info', obj, msg });
  warn = (obj: object, msg?: string) => void this.entries.push({ level: 'warn', obj, msg });
  error = (obj: object, msg?: string) => void this.entries.push({ level: 'error', obj, msg });
  get errors() {
    return this.entries.filter((e) => e.level === 'error');
  }
}

let catalogPromise: Promise<CourseIndex> | null = null;
export function realCatalog(): Promise<CourseIndex> {
  catalogPromise ??= loadCourse(path.resolve('content/backend-foundations')).then(({ course, problems }) => {
    if (!course) throw new Error(`content problems: ${JSON.stringify(problems.slice(0, 3))}`);
    return indexCourse(course);
  });
  return catalogPromise;
}

export const COMMUNITY: CommunityRef = { platform: 'console', externalId: 'test-community', name: 'Test' };

/** A person as a platform reports them: a name, or the full user (admin flag, roles). */
export type As = string | InboundUser;
const userOf = (as: As): InboundUser => (typeof as === 'string' ? { externalId: as, displayName: as } : as);
/** Someone the platform reports as an admin (Discord Manage Server, Slack admin, playground `/as x lead`). */
export const admin = (name: string): InboundUser => ({ externalId: name, displayName: name, isAdmin: true });

export async function testApp(database: TestDatabase, clock: TestClock, extra: { messengers?: Partial<Record<Platform, Messenger>>; channelId?: string } = {}) {
  const log = new RecordingLog();
  const app: AppContext = {
    stores: createStores(database.db),
    clock,
    catalog: await realCatalog(),
    defaults: { timezone: 'UTC', deliveryTime: '09:00' },
    ...(extra.messengers ? { messengers: extra.messengers } : {}),
  };
  const send = (as: As, request: InboundRequest, community: CommunityRef = COMMUNITY): Promise<Reply> => {
    const inbound: Inbound = { community, user: userOf(as), request, ...(extra.channelId ? { channelId: extra.channelId } : {}) };
    return dispatch(app, log, inbound);
  };
  const learnerId = async (user: string, community: CommunityRef = COMMUNITY): Promise<number> => {
    const { id } = await app.stores.communities.ensure(community);
    const learner = await app.stores.learners.find(id, user);
    if (!learner) throw new Error(`${user} is not a learner`);
    return learner.id;
  };
  return {
    app,
    log,
    learnerId,
    send,
    clock,
    /** `/learn <text>` as `user`. */
    learn: (user: As, text: string, community?: CommunityRef) => send(user, parseCommandText(text), community),
    /** `/cohort <text>` as `user`. */
    cohort: (user: As, text: string, community?: CommunityRef) => send(user, parseCohortText(text), community),
    press: (user: As, action: ActionId | string, community?: CommunityRef) =>
      send(user, { type: 'action', actionId: typeof action === 'string' ? action : encodeAction(action) }, community),
    submit: (user: As, formId: string, fields: Record<string, string>, community?: CommunityRef) => send(user, { type: 'form', formId, fields }, community),
  };
}

/** The buttons of a reply, flattened, for pressing by label or index. */
export const buttons = (reply: Reply) => (reply.actions ?? []).flat();
