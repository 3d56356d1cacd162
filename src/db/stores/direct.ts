// Finds the community of a direct message's sender (app/direct.ts). Filters learners by external_id alone:
// an index on learners(external_id) keeps it one cheap lookup per DM interaction at scale.
import type { DirectLookup } from '../../app/direct.js';
import type { CommunityRef, Platform } from '../../app/ports.js';
import type { Db } from '../client.js';

export function directLookup(db: Db): DirectLookup {
  const client = db.$client;
  return {
    async communityOf(platform, userExternalId, hint) {
      // 0 never matches an identity column, so an absent hint ranks nothing first.
      const [row] = await client<{ platform: Platform; externalId: string; name: string | null }[]>`
        select c.platform, c.external_id as "externalId", c.name
        from learners l join communities c on c.id = l.community_id
        where c.platform = ${platform} and l.external_id = ${userExternalId}
        order by
          (l.id = ${hint.learnerId ?? 0}
            or exists (select 1 from deliveries d where d.id = ${hint.deliveryId ?? 0} and d.learner_id = l.id)
            or exists (select 1 from challenges ch where ch.id = ${hint.challengeId ?? 0} and ch.community_id = l.community_id)) desc,
          (select max(d.created_at) from deliveries d where d.learner_id = l.id) desc nulls last,
          l.created_at desc
        limit 1`;
      return row ? ({ platform: row.platform, externalId: row.externalId, name: row.name ?? undefined } satisfies CommunityRef) : null;
    },
  };
}
