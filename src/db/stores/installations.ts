import { and, eq, sql } from 'drizzle-orm';
import type { Installations, Platform } from '../../app/ports.js';
import type { Db } from '../client.js';
import { isSealed, seal, unseal } from '../sealed.js';
import { installations } from '../schema.js';

/**
 * Installations hold the bot tokens of every workspace. With a key they are sealed at rest (see
 * sealed.ts); one saved before the key was set is still read, and sealed as it is read.
 */
export function installationStore(db: Db, options: { key?: Buffer } = {}): Installations {
  const { key } = options;
  const where = (platform: Platform, externalId: string) => and(eq(installations.platform, platform as 'slack'), eq(installations.externalId, externalId));
  const rowOf = (platform: Platform, externalId: string) => `installation:${platform}:${externalId}`;
  const stored = (platform: Platform, externalId: string, data: Record<string, unknown>) =>
    key ? seal(key, rowOf(platform, externalId), JSON.stringify(data)) : data;

  const save: Installations['save'] = async (platform, externalId, data) => {
    const value = stored(platform, externalId, data);
    await db
      .insert(installations)
      .values({ platform, externalId, data: value })
      .onConflictDoUpdate({ target: [installations.platform, installations.externalId], set: { data: value, updatedAt: sql`now()` } });
  };

  return {
    save,
    async fetch(platform, externalId) {
      const [row] = await db.select({ data: installations.data }).from(installations).where(where(platform, externalId));
      if (!row) return null;
      if (!isSealed(row.data)) {
        if (key) await save(platform, externalId, row.data);
        return row.data;
      }
      if (!key) throw new Error(`the ${platform} installation for ${externalId} is encrypted: set SLACK_INSTALLATION_KEY to the key it was saved with`);
      try {
        return JSON.parse(unseal(key, rowOf(platform, externalId), row.data)) as Record<string, unknown>;
      } catch {
        throw new Error(`the ${platform} installation for ${externalId} does not open with SLACK_INSTALLATION_KEY (saved with another key?): set the key it was saved with, or install the app in that workspace again`);
      }
    },
    async remove(platform, externalId) {
      await db.delete(installations).where(where(platform, externalId));
    },
  };
}
