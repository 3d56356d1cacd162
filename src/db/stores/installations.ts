import { and, eq, sql } from 'drizzle-orm';
import type { Installations } from '../../app/ports.js';
import type { Db } from '../client.js';
import { installations } from '../schema.js';

export function installationStore(db: Db): Installations {
  const where = (platform: string, externalId: string) => and(eq(installations.platform, platform as 'slack'), eq(installations.externalId, externalId));
  return {
    async save(platform, externalId, data) {
      await db
        .insert(installations)
        .values({ platform, externalId, data })
        .onConflictDoUpdate({ target: [installations.platform, installations.externalId], set: { data, updatedAt: sql`now()` } });
    },
    async fetch(platform, externalId) {
      const [row] = await db.select({ data: installations.data }).from(installations).where(where(platform, externalId));
      return row?.data ?? null;
    },
    async remove(platform, externalId) {
      await db.delete(installations).where(where(platform, externalId));
    },
  };
}
