// Direct messages carry no community: the learner's community is found from what the button names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerHint } from '../../src/app/direct.js';
import { encodeAction, encodeForm } from '../../src/core/reply.js';
import { directLookup } from '../../src/db/stores/direct.js';
import { TestClock, testApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

describe('the community of a direct message', () => {
  it('follows the challenge a Submit button or form names, else the latest lesson', async () => {
    const t = await testApp(database, new TestClock(new Date('2026-05-04T10:00:00Z')));
    const older = { platform: 'discord' as const, externalId: 'guild-older' };
    const newer = { platform: 'discord' as const, externalId: 'guild-newer' };
    await t.learn('4242', 'start UTC 09:00', older);
    t.clock.advance(3600_000);
    await t.learn('4242', 'start UTC 09:00', newer);
    const { id: olderId } = await t.app.stores.communities.ensure(older);
    const [challenge] = await database.sql`
      insert into challenges (community_id, title, description, points, due_at, created_by)
      values (${olderId}, 'Harden SSH', 'Keys only', 25, ${'2026-05-10T18:00:00Z'}, 'lead') returning id`;
    const lookup = directLookup(database.db);
    const find = (hint: ReturnType<typeof ownerHint>) => lookup.communityOf('discord', '4242', hint);

    expect((await find({}))?.externalId).toBe('guild-newer');
    const press = ownerHint({ type: 'action', actionId: encodeAction({ kind: 'submit', challengeId: Number(challenge!.id) }) });
    expect(press).toEqual({ challengeId: Number(challenge!.id) });
    expect((await find(press))?.externalId).toBe('guild-older');
    const form = ownerHint({ type: 'form', formId: encodeForm({ kind: 'submit', challengeId: Number(challenge!.id) }), fields: {} });
    expect((await find(form))?.externalId).toBe('guild-older');
    expect(await lookup.communityOf('discord', 'nobody', {})).toBeNull();
  });
});
