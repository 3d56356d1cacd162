import { sql } from 'drizzle-orm';
import type { Community, CommunityRef, Stores } from '../../app/ports.js';
import type { Db } from '../client.js';
import { communities } from '../schema.js';

type Row = typeof communities.$inferSelect;

const toCommunity = (row: Row): Community => ({
  id: row.id,
  platform: row.platform,
  externalId: row.externalId,
  defaultTimezone: row.settings.defaultTimezone ?? null,
  leadRoleIds: row.settings.leadRoleIds ?? [],
  leadUserIds: row.settings.leadUserIds ?? [],
});

export function communityStore(db: Db): Stores['communities'] {
  // Communities are few and change rarely: remember them so every request skips a round trip.
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
  };
}
