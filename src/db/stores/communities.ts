import { eq, sql } from 'drizzle-orm';
import type { CohortSettings } from '../../app/cohort/ports.js';
import type { Community, CommunityRef, Stores } from '../../app/ports.js';
import type { Db } from '../client.js';
import { communities, type CommunitySettings } from '../schema.js';

type Row = typeof communities.$inferSelect;

const toCommunity = (row: Row): Community => ({
  id: row.id,
  platform: row.platform,
  externalId: row.externalId,
  defaultTimezone: row.settings.defaultTimezone ?? null,
  leadRoleIds: row.settings.leadRoleIds ?? [],
  leadUserIds: row.settings.leadUserIds ?? [],
});

export const toCohortSettings = (settings: CommunitySettings): CohortSettings => ({
  cohortChannelId: settings.cohortChannelId ?? null,
  leadRoleIds: settings.leadRoleIds ?? [],
  leadUserIds: settings.leadUserIds ?? [],
  timezone: settings.defaultTimezone ?? null,
});

const fromCohortSettings = (current: CommunitySettings, next: CohortSettings): CommunitySettings => {
  const { cohortChannelId: _c, leadRoleIds: _r, leadUserIds: _u, defaultTimezone: _z, ...other } = current;
  return {
    ...other,
    ...(next.cohortChannelId ? { cohortChannelId: next.cohortChannelId } : {}),
    ...(next.leadRoleIds.length ? { leadRoleIds: next.leadRoleIds } : {}),
    ...(next.leadUserIds.length ? { leadUserIds: next.leadUserIds } : {}),
    ...(next.timezone ? { defaultTimezone: next.timezone } : {}),
  };
};

export function communityStore(db: Db): Stores['communities'] {
  // Communities are few and change rarely: remember them so every request skips a round trip.
  // Lead checks read settings fresh (settings()), so a cache in another process being stale is harmless.
  const cache = new Map<string, Community>();
  return {
    async ensure(ref: CommunityRef) {
      const key = `${ref.platform}:${ref.externalId}`;
      const cached = cache.get(key);
      if (cached) return cached;
      const [row] = await db
        .insert(communities)
        .values({ platform: ref.platform, externalId: ref.externalId, name: ref.name ?? null })
        .onConflictDoUpdate({ target: [communities.platform, communities.externalId], set: { name: sql`coalesce(excluded.name, ${communities.name})` } })
        .returning();
      const community = toCommunity(row!);
      cache.set(key, community);
      return community;
    },
    async settings(communityId) {
      const [row] = await db.select({ settings: communities.settings }).from(communities).where(eq(communities.id, communityId));
      if (!row) throw new Error(`community ${communityId} not found`);
      return toCohortSettings(row.settings);
    },
    async updateSettings(communityId, change) {
      const row = await db.transaction(async (tx) => {
        const [current] = await tx.select().from(communities).where(eq(communities.id, communityId)).for('update');
        if (!current) throw new Error(`community ${communityId} not found`);
        const settings = fromCohortSettings(current.settings, change(toCohortSettings(current.settings)));
        const [updated] = await tx.update(communities).set({ settings }).where(eq(communities.id, communityId)).returning();
        return updated!;
      });
      cache.set(`${row.platform}:${row.externalId}`, toCommunity(row));
      return toCohortSettings(row.settings);
    },
  };
}
