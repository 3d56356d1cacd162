// The real discord.js Client, the real app on a fresh Postgres, and the fake Discord they talk to.
import type { APIButtonComponentWithCustomId, APIMessage, APIUser } from 'discord-api-types/v10';
import { ComponentType } from 'discord-api-types/v10';
import { dispatchDirect } from '../../src/app/direct.js';
import { createChartRenderer } from '../../src/charts/png.js';
import { dispatch } from '../../src/app/dispatch.js';
import type { Inbound } from '../../src/app/inbound.js';
import { directLookup } from '../../src/db/stores/direct.js';
import { createDiscordAdapter, registerCommands, type DiscordAdapter } from '../../src/platforms/discord/index.js';
import type { RestTuning } from '../../src/platforms/discord/client.js';
import { FakeDiscord } from '../fakes/discord-server.js';
import { TestClock, testApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

/** Retries and offsets turned down so failures show quickly; tests of retries set their own. */
export const FAST_REST: RestTuning = { retries: 1, offset: 0, timeout: 5000 };

export interface Harness {
  fake: FakeDiscord;
  adapter: DiscordAdapter;
  database: TestDatabase;
  t: Awaited<ReturnType<typeof testApp>>;
  /** Runs before the app handles a server interaction; a test makes the app slow (or fail) with it. */
  hooks: { beforeHandle?: () => Promise<void> };
  stop(): Promise<void>;
}

export async function startHarness(setup: (fake: FakeDiscord) => void): Promise<Harness> {
  const fake = await FakeDiscord.start();
  setup(fake);
  const database = await createTestDatabase();
  // 10:00 in Berlin on a Wednesday.
  const t = await testApp(database, new TestClock(new Date('2026-11-25T09:00:00Z')));
  const lookup = directLookup(database.db);
  const hooks: Harness['hooks'] = {};
  const templates = t.app.catalog.course.challenges.map(({ id, title }) => ({ id, title }));
  const adapter = createDiscordAdapter({
    config: { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl },
    handle: async (inbound: Inbound) => {
      await hooks.beforeHandle?.();
      return dispatch(t.app, t.log, inbound);
    },
    handleDirect: (user, request) => dispatchDirect(t.app, t.log, lookup, { platform: 'discord', user, request }),
    log: t.log,
    challengeTemplates: templates,
    rest: FAST_REST,
    // Half of production's 1.5 s keeps the deferral tests quick; still far above a local reply's few ms.
    ackAfterMs: 750,
  });
  // As main.ts wires them: cohort commands post and DM through the adapter's Messenger right away, and draw charts.
  t.app.messengers = { discord: adapter.messenger };
  t.app.charts = createChartRenderer();
  await adapter.start();
  return {
    fake,
    adapter,
    database,
    t,
    hooks,
    async stop() {
      await adapter.stop();
      await fake.stop();
      await database.drop();
    },
  };
}

/** The buttons on a message, in order. */
export function buttonsOf(message: APIMessage | undefined): APIButtonComponentWithCustomId[] {
  return (message?.components ?? []).flatMap((row) =>
    row.type === ComponentType.ActionRow
      ? row.components.filter((c): c is APIButtonComponentWithCustomId => c.type === ComponentType.Button && 'custom_id' in c)
      : [],
  );
}

export function customIdOf(message: APIMessage | undefined, label: string | RegExp): string {
  const button = buttonsOf(message).find((b) => (typeof label === 'string' ? b.label === label : label.test(b.label ?? '')));
  if (!button) throw new Error(`no button ${String(label)} on ${JSON.stringify(buttonsOf(message).map((b) => b.label))}`);
  return button.custom_id;
}

/** Everything a person reads in a message: content, embed title, description and fields. */
export function textOf(message: APIMessage | undefined): string {
  if (!message) return '';
  const embeds = message.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])]);
  return [message.content, ...embeds].filter(Boolean).join('\n');
}

/** The command set as `npm run discord:register` registers it for the course (its challenge templates as choices). */
export const registerFor = (h: Harness, guildId?: string) =>
  registerCommands(
    { token: h.fake.token, applicationId: h.fake.applicationId, apiUrl: h.fake.apiUrl, ...(guildId ? { guildId } : {}) },
    FAST_REST,
    { challengeTemplates: h.t.app.catalog.course.challenges },
  );

/** Polls `check` until it passes or `timeoutMs` runs out (no fixed sleeps). */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

export type { APIUser };
