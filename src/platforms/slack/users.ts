// Who acted: display name and workspace-admin flag from users.info, and the person's user groups from
// usergroups.list (a user group can be configured as cohort lead). Both are cached, so a busy workspace
// does not spend its rate limit on them; without users:read or usergroups:read the lookups fall back to
// what the payload says (no admin flag, no groups) with a warning.
import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { InboundUser } from '../../app/inbound.js';
import type { Log } from '../../app/ports.js';
import { describeError, platformError } from './errors.js';

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

const userGroupsSchema = z.object({
  usergroups: z.array(z.object({ id: z.string(), users: z.array(z.string()).optional(), date_delete: z.number().optional() })),
});

/** Group membership changes count within a minute; one usergroups.list per workspace per minute at most. */
export const GROUPS_TTL_MS = 60_000;
/** An install without usergroups:read stays so until it is reinstalled: ask (and warn) less often. */
export const MISSING_SCOPE_TTL_MS = 10 * 60_000;
const MAX_TEAMS = 1_000;

/** The ids of the Slack user groups (S…) `userId` belongs to in `teamId`. */
export type GroupLookup = (client: webApi.WebClient, teamId: string, userId: string) => Promise<string[]>;

interface Groups {
  byUser: Map<string, string[]>;
  ttl: number;
}

export function groupLookup(log: Log, now: () => number = Date.now): GroupLookup {
  async function fetchGroups(client: webApi.WebClient, teamId: string): Promise<Groups> {
    const byUser = new Map<string, string[]>();
    try {
      const parsed = userGroupsSchema.safeParse(await client.usergroups.list({ include_users: true }));
      if (!parsed.success) throw new Error('usergroups.list answered in an unexpected shape');
      for (const group of parsed.data.usergroups) {
        if (group.date_delete) continue;
        for (const user of group.users ?? []) byUser.set(user, [...(byUser.get(user) ?? []), group.id]);
      }
      return { byUser, ttl: GROUPS_TTL_MS };
    } catch (error) {
      // Remembered like a success, so a failure costs one warning per workspace per TTL. Admins and leads
      // named one by one still lead; only lead user groups are not recognised meanwhile.
      const missingScope = platformError(error) === 'missing_scope';
      const hint = missingScope ? ': reinstall the app so its token gets usergroups:read' : '';
      log.warn({ team: teamId, ...describeError(error) }, `could not read the Slack user groups; lead user groups are not recognised${hint}`);
      return { byUser, ttl: missingScope ? MISSING_SCOPE_TTL_MS : GROUPS_TTL_MS };
    }
  }

  // The promise is cached, so a burst of requests from one workspace makes one call.
  const cache = new Map<string, { at: number; groups: Promise<Groups> }>();
  return async (client, teamId, userId) => {
    let hit = cache.get(teamId);
    if (hit && now() - hit.at > (await hit.groups).ttl) hit = undefined;
    if (!hit) {
      hit = { at: now(), groups: fetchGroups(client, teamId) };
      cache.delete(teamId);
      if (cache.size >= MAX_TEAMS) cache.delete(cache.keys().next().value!);
      cache.set(teamId, hit);
    }
    return (await hit.groups).byUser.get(userId) ?? [];
  };
}
