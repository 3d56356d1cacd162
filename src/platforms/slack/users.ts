// Who pressed: display name and workspace-admin flag from users.info, cached so a busy workspace does not
// spend its rate limit on profiles. Without the users:read scope it falls back to what the payload says.
import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { InboundUser } from '../../app/inbound.js';
import type { Log } from '../../app/ports.js';
import { describeError } from './errors.js';

const userSchema = z.object({
  user: z.object({
    name: z.string().optional(),
    real_name: z.string().optional(),
    is_admin: z.boolean().optional(),
    is_owner: z.boolean().optional(),
    profile: z.object({ display_name: z.string().optional(), real_name: z.string().optional() }).optional(),
  }),
});

const TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 10_000;

export type ProfileLookup = (client: webApi.WebClient, teamId: string, user: InboundUser) => Promise<InboundUser>;

export function profileLookup(log: Log, now: () => number = Date.now): ProfileLookup {
  async function fetchProfile(client: webApi.WebClient, teamId: string, user: InboundUser) {
    try {
      const parsed = userSchema.safeParse(await client.users.info({ user: user.externalId }));
      const u = parsed.success ? parsed.data.user : {};
      const name = u.profile?.display_name || u.profile?.real_name || u.real_name || u.name || user.displayName;
      return { at: now(), name, isAdmin: Boolean(u.is_admin || u.is_owner) };
    } catch (error) {
      // Remembered like a success, so a missing users:read scope costs one warning per person per TTL.
      log.warn({ team: teamId, user: user.externalId, ...describeError(error) }, 'could not read the Slack profile; using the name from the payload');
      return { at: now(), name: user.displayName, isAdmin: false };
    }
  }

  const cache = new Map<string, { at: number; name: string; isAdmin: boolean }>();
  return async (client, teamId, user) => {
    const key = `${teamId}:${user.externalId}`;
    let hit = cache.get(key);
    if (!hit || now() - hit.at > TTL_MS) {
      hit = await fetchProfile(client, teamId, user);
      if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
      cache.set(key, hit);
    }
    return { ...user, displayName: hit.name, isAdmin: hit.isAdmin };
  };
}
