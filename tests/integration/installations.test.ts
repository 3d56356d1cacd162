// Slack installations hold every workspace's bot token: with SLACK_INSTALLATION_KEY they are sealed at
// rest in the real Postgres, and an installation saved before the key was set is sealed when next read.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installationStore } from '../../src/db/stores/installations.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

const key = randomBytes(32);
const installation = (team: string) => ({ team: { id: team, name: 'Acme' }, bot: { token: `xoxb-secret-${team}`, id: 'B1', userId: 'U0BOT' }, isEnterpriseInstall: false });
const rawRow = async (team: string) => {
  const [row] = await database.sql<{ data: string }[]>`select data::text as data from installations where platform = 'slack' and external_id = ${team}`;
  return row?.data ?? null;
};

describe('installations at rest', () => {
  it('stores the token sealed and reads it back whole', async () => {
    const store = installationStore(database.db, { key });
    await store.save('slack', 'T0SEALED', installation('T0SEALED'));
    expect(await rawRow('T0SEALED')).not.toContain('xoxb-secret');
    expect(await store.fetch('slack', 'T0SEALED')).toEqual(installation('T0SEALED'));
  });

  it('reads an installation saved before the key was set, and seals it', async () => {
    await installationStore(database.db).save('slack', 'T0OLD', installation('T0OLD'));
    expect(await rawRow('T0OLD')).toContain('xoxb-secret-T0OLD');
    expect(await installationStore(database.db, { key }).fetch('slack', 'T0OLD')).toEqual(installation('T0OLD'));
    expect(await rawRow('T0OLD')).not.toContain('xoxb-secret');
  });

  it('refuses, saying what to do, without the key, with another key, or for a value copied from another workspace', async () => {
    const store = installationStore(database.db, { key });
    await store.save('slack', 'T0A', installation('T0A'));
    await expect(installationStore(database.db).fetch('slack', 'T0A')).rejects.toThrow('is encrypted: set SLACK_INSTALLATION_KEY');
    await expect(installationStore(database.db, { key: randomBytes(32) }).fetch('slack', 'T0A')).rejects.toThrow('does not open with SLACK_INSTALLATION_KEY');
    // Someone with write access to the table moves workspace A's token under workspace B.
    await database.sql`insert into installations (platform, external_id, data) select platform, 'T0B', data from installations where external_id = 'T0A'`;
    await expect(store.fetch('slack', 'T0B')).rejects.toThrow('install the app in that workspace again');
    expect(await store.fetch('slack', 'T0NONE')).toBeNull();
  });
});
