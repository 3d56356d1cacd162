// The learner and community a proactive message goes to: the same columns and mapping for the delivery
// job and the nudge job. Callers alias learners as l and communities as c.
import type { DeliveryTarget } from '../../app/ports.js';
import type { Sql } from '../client.js';
import type { CommunitySettings } from '../schema.js';

export type TargetRow = {
  learnerId: number;
  communityId: number;
  externalId: string;
  displayName: string;
  timezone: string;
  deliveryTime: string;
  status: 'active' | 'paused' | 'unreachable';
  nudgesEnabled: boolean;
  quietStart: string;
  quietEnd: string;
  dmChannelId: string | null;
  deliveryChannelId: string | null;
  unreachableNotifiedAt: string | null;
  platform: 'discord' | 'slack' | 'console';
  communityExternalId: string;
  settings: CommunitySettings;
};

export const TARGET_COLUMNS = `
  l.id as "learnerId", l.community_id as "communityId", l.external_id as "externalId", l.display_name as "displayName",
  l.timezone, l.delivery_time as "deliveryTime", l.status, l.nudges_enabled as "nudgesEnabled",
  l.quiet_start as "quietStart", l.quiet_end as "quietEnd", l.dm_channel_id as "dmChannelId",
  l.delivery_channel_id as "deliveryChannelId", l.unreachable_notified_at as "unreachableNotifiedAt",
  c.platform, c.external_id as "communityExternalId", c.settings`;

export const targetColumns = (sql: Sql) => sql.unsafe(TARGET_COLUMNS);

/** Timestamps arrive as text (drizzle's driver settings); null stays null. */
export const dateOrNull = (v: string | null) => (v === null ? null : new Date(v));

export function toTarget(row: TargetRow): Omit<DeliveryTarget, 'enrollment'> {
  return {
    learner: {
      id: row.learnerId,
      communityId: row.communityId,
      externalId: row.externalId,
      displayName: row.displayName,
      timezone: row.timezone,
      deliveryTime: row.deliveryTime,
      status: row.status,
      nudgesEnabled: row.nudgesEnabled,
      quietStart: row.quietStart,
      quietEnd: row.quietEnd,
      dmChannelId: row.dmChannelId,
      deliveryChannelId: row.deliveryChannelId,
      unreachableNotifiedAt: dateOrNull(row.unreachableNotifiedAt),
    },
    community: {
      id: row.communityId,
      platform: row.platform,
      externalId: row.communityExternalId,
      defaultTimezone: row.settings.defaultTimezone ?? null,
      leadRoleIds: row.settings.leadRoleIds ?? [],
      leadUserIds: row.settings.leadUserIds ?? [],
      cohortChannelId: row.settings.cohortChannelId ?? null,
    },
  };
}
