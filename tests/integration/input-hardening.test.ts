// What people send is checked in our words only: forged wrong-typed values in every command and form,
// fields of nothing but invisible characters, and timezones in any letter case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COHORT_COMMANDS } from '../../src/app/cohort/commands/index.js';
import { LEARNER_COMMANDS } from '../../src/app/commands/index.js';
import type { CommandGroup, InboundRequest } from '../../src/app/inbound.js';
import type { CommunityRef } from '../../src/app/ports.js';
import { encodeForm, type FormId, type Reply } from '../../src/core/reply.js';
import { admin, COMMUNITY, TestClock, testApp, type As } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let database: TestDatabase;
let t: Awaited<ReturnType<typeof testApp>>;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await testApp(database, new TestClock(new Date('2026-05-04T08:00:00Z')), { channelId: 'cohort-channel' });
  await t.learn('lee', 'start UTC 09:00');
  await t.cohort(LEAD, 'channel cohort');
});
afterAll(async () => database?.drop());

const LEAD = admin('lena');
/** Zod's own wording, which must never reach a user. */
const ZOD_WORDS = /Invalid input|\bexpected\b|\breceived\b/i;
/** What a forged payload can carry where text belongs. */
const WRONG: unknown[] = [5, 0, -1.5, true, false, null, ['Europe/Berlin'], { text: 'hi' }, {}];

function expectOurWords(reply: Reply, what: string): void {
  expect(reply.text, what).not.toMatch(ZOD_WORDS);
  for (const field of reply.fields ?? []) expect(`${field.name} ${field.value}`, what).not.toMatch(ZOD_WORDS);
}

const forged = (request: unknown): InboundRequest => request as InboundRequest;

describe('wrong-typed values never get zod wording back', () => {
  const commands: { group: CommandGroup; as: As; verb: string; params: readonly string[] }[] = [
    ...LEARNER_COMMANDS.map((c) => ({ group: 'learn' as const, as: 'lee', verb: c.verb, params: c.params })),
    ...COHORT_COMMANDS.map((c) => ({ group: 'cohort' as const, as: LEAD, verb: c.verb, params: c.params })),
  ];

  it('in every argument of every /learn and /cohort command', async () => {
    for (const { group, as, verb, params } of commands) {
      for (const param of [...params, 'unexpectedKey', '_extra']) {
        for (const value of WRONG) {
          const reply = await t.send(as, forged({ type: 'command', group, verb, args: { [param]: value } }));
          expectOurWords(reply, `/${group} ${verb} with ${param}=${JSON.stringify(value)}`);
        }
      }
      // Missing arguments, and arguments that are not a record at all.
      for (const args of [{}, null, 5, 'start', ['x']]) {
        expectOurWords(await t.send(as, forged({ type: 'command', group, verb, args })), `/${group} ${verb} with args ${JSON.stringify(args)}`);
      }
    }
    expect(t.log.errors).toEqual([]);
  });

  it('in every field of every form, and in forms that are not a record', async () => {
    const delivery = (await database.sql<{ id: number }[]>`select id from deliveries limit 1`)[0]!.id;
    const forms: { form: FormId; as: As; fields: Record<string, string> }[] = [
      { form: { kind: 'practice', deliveryId: null }, as: 'lee', fields: { note: 'ran ss -tlnp', link: 'https://example.com/notes' } },
      { form: { kind: 'practice', deliveryId: Number(delivery) }, as: 'lee', fields: { note: 'ran ss -tlnp', link: '' } },
      { form: { kind: 'submit', challengeId: 1 }, as: 'lee', fields: { link: 'https://github.com/lee/cache', note: 'p99 down' } },
      { form: { kind: 'changes', submissionId: 1 }, as: LEAD, fields: { feedback: 'Add a test for the cache miss.' } },
      {
        form: { kind: 'challenge' },
        as: LEAD,
        fields: { title: 'Cache it', description: 'Put a cache in front of the slow endpoint.', acceptance: '- p99 under 50 ms', deadline: '+7d', points: '30' },
      },
    ];
    for (const { form, as, fields } of forms) {
      const formId = encodeForm(form);
      for (const name of [...Object.keys(fields), 'unexpectedKey']) {
        for (const value of WRONG) {
          const reply = await t.send(as, forged({ type: 'form', formId, fields: { ...fields, [name]: value } }));
          expectOurWords(reply, `${formId} with ${name}=${JSON.stringify(value)}`);
          // Only the wrong field alone, so the first problem may be a missing one.
          expectOurWords(await t.send(as, forged({ type: 'form', formId, fields: { [name]: value } })), `${formId} with only ${name}=${JSON.stringify(value)}`);
        }
      }
      for (const whole of [null, 5, 'note', ['ran curl'], {}]) {
        expectOurWords(await t.send(as, forged({ type: 'form', formId, fields: whole })), `${formId} with fields ${JSON.stringify(whole)}`);
      }
    }
    // Stored only where the wrong value sat in a field the form does not have (2 practice forms, 1 challenge form).
    const [stored] = await database.sql<{ practice: number; challenges: number }[]>`
      select (select count(*)::int from practice_logs) as practice, (select count(*)::int from challenges) as challenges`;
    expect(stored).toEqual({ practice: 2 * WRONG.length, challenges: WRONG.length });
    await database.sql`delete from practice_logs`;
    await database.sql`delete from challenges`;
    expect(t.log.errors).toEqual([]);
  });

  it('in button and form ids that are not text', async () => {
    for (const value of WRONG) {
      expectOurWords(await t.send('lee', forged({ type: 'action', actionId: value })), `action ${JSON.stringify(value)}`);
      expectOurWords(await t.send('lee', forged({ type: 'form', formId: value, fields: {} })), `form ${JSON.stringify(value)}`);
    }
    expect(t.log.errors).toEqual([]);
  });
});

// Zero-width space, zero-width non-joiner and joiner, word joiner, BOM, soft hyphen, Hangul filler,
// no-break and ideographic spaces, a right-to-left mark, the blank braille pattern.
const INVISIBLES = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u3164', '\u00a0', '\u3000', '\u200f', '\u2800'];
const blank = (n = 1) => INVISIBLES.join('').repeat(n);

describe('a required field of only invisible characters is empty', () => {
  it('in every required form field', async () => {
    const practice = encodeForm({ kind: 'practice', deliveryId: null });
    for (const note of INVISIBLES) expect((await t.submit('lee', practice, { note, link: '' })).text).toContain('Tell me what you tried');
    expect((await t.submit('lee', encodeForm({ kind: 'submit', challengeId: 1 }), { link: blank(), note: '' })).text).toMatch(/link/i);
    expect((await t.submit(LEAD, encodeForm({ kind: 'changes', submissionId: 1 }), { feedback: blank() })).text).toContain('Write a line of feedback');
    const challenge = encodeForm({ kind: 'challenge' });
    const good = { title: 'Cache it', description: 'Put a cache in front of the slow endpoint.', acceptance: '', deadline: '+7d', points: '30' };
    expect((await t.submit(LEAD, challenge, { ...good, title: blank(3) })).text).toContain('title');
    expect((await t.submit(LEAD, challenge, { ...good, description: blank(10) })).text).toContain('Describe the challenge');
    expect((await t.submit(LEAD, challenge, { ...good, deadline: blank() })).text).toContain('needs a deadline');
    expect((await t.submit(LEAD, challenge, { ...good, points: blank() })).text).toMatch(/points/i);
    const [stored] = await database.sql<{ practice: number; challenges: number }[]>`
      select (select count(*)::int from practice_logs) as practice, (select count(*)::int from challenges) as challenges`;
    expect(stored).toEqual({ practice: 0, challenges: 0 });
  });

  it('in command arguments, which count as not given', async () => {
    // A note of nothing visible opens the form instead of logging a blank note.
    expect((await t.send('lee', { type: 'command', verb: 'practice', args: { note: blank() } })).modal?.form).toEqual({ kind: 'practice', deliveryId: null });
    expect((await t.learn('lee', `settings timezone ${blank()}`)).text).toContain('Give a value too');
    expect((await t.send('lee', { type: 'command', verb: 'settings', args: { key: 'timezone', value: blank() } })).text).toContain('Give a value too');
    expect((await t.send(LEAD, { type: 'command', group: 'cohort', verb: 'settings', args: { key: 'timezone', value: blank() } })).text).toContain('Which timezone?');
    expect((await t.send(LEAD, { type: 'command', group: 'cohort', verb: 'leads add', args: { who: blank() } })).text).toMatch(/Name a person/);
    // Visible text keeps working with invisible characters around it.
    expect((await t.send('lee', { type: 'command', verb: 'streak', args: { detail: `\u200bwhy\u2060` } })).text).not.toContain('Use `/learn streak`');
    expect((await t.send('lee', { type: 'command', verb: 'settings', args: { key: '\ufefftime', value: '08:30\u200b' } })).text).toContain('Daily lesson at: **08:30**');
    const [practice] = await database.sql<{ n: number }[]>`select count(*)::int as n from practice_logs`;
    expect(practice!.n).toBe(0);
    expect(t.log.errors).toEqual([]);
  });
});

describe('timezones are stored under their canonical name', () => {
  const zoneOf = async (user: string) => (await database.sql<{ timezone: string }[]>`select timezone from learners where external_id = ${user}`)[0]?.timezone;

  it('from /learn start, /learn settings and /cohort settings', async () => {
    const started = await t.learn('zed', 'start europe/berlin 09:00');
    expect(started.text).toContain('(Europe/Berlin)');
    expect(await zoneOf('zed')).toBe('Europe/Berlin');

    expect((await t.learn('zed', 'settings timezone AMERICA/NEW_YORK')).text).toContain('Timezone: **America/New_York**');
    expect(await zoneOf('zed')).toBe('America/New_York');
    await t.learn('zed', 'settings timezone asia/calcutta'); // the old name, which Node's ICU still prefers
    expect(await zoneOf('zed')).toBe('Asia/Kolkata');
    await t.learn('zed', 'start utc');
    expect(await zoneOf('zed')).toBe('UTC');

    const cohort: CommunityRef = { ...COMMUNITY, externalId: 'zones-cohort' };
    const set = await t.cohort(LEAD, 'settings timezone asia/kolkata', cohort);
    expect(set.text).toContain('**Asia/Kolkata**');
    const { id } = await t.app.stores.communities.ensure(cohort);
    expect((await t.app.stores.communities.settings(id)).timezone).toBe('Asia/Kolkata');
  });
});
