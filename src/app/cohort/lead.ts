// Who may run cohort tools: core's isLead over the community's settings, read fresh on every check.
import { isLead } from '../../core/permissions.js';
import type { RequestContext } from '../command.js';
import { Refusal } from '../refusal.js';
import type { CohortSettings } from './ports.js';

export const NOT_A_LEAD =
  'Only cohort leads can do that. Leads are server members with Manage Server or a lead role (Discord), workspace admins or configured leads (Slack). A lead can add you with `/cohort leads add @you`.';

export const NO_CHANNEL = 'There is no cohort channel yet. Run `/cohort channel` in the channel where challenges and digests should go (or name it: `/cohort channel #cohort`).';

/** The community's cohort settings, if the person asking is a lead of it; a friendly refusal otherwise. */
export async function requireLead(ctx: RequestContext): Promise<CohortSettings> {
  const settings = await ctx.app.stores.communities.settings(ctx.community.id);
  if (!isLead(ctx.actor, settings)) throw new Refusal(NOT_A_LEAD);
  return settings;
}

/** The cohort's timezone: deadlines and the digest follow it. */
export const cohortZone = (ctx: RequestContext, settings: CohortSettings): string => settings.timezone ?? ctx.app.defaults.timezone;
