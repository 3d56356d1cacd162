// Who may review which submission: core's reviewStanding over the community's leads, read fresh each time,
// so a lead added or removed a moment ago counts at once.
import { isLead, leadActiveSince, reviewStanding, type LeadRoster, type ReviewStanding } from '../../core/permissions.js';
import type { RequestContext } from '../command.js';
import type { CohortSettings } from './ports.js';

export async function leadRoster(ctx: RequestContext, settings: CohortSettings): Promise<LeadRoster> {
  const recentLeadIds = await ctx.app.stores.cohortReports.recentLeads(ctx.community.id, leadActiveSince(ctx.app.clock.now()));
  return { leadUserIds: settings.leadUserIds, leadRoleIds: settings.leadRoleIds, recentLeadIds };
}

/** How the asking lead stands towards a submission by `submitterExternalId`. */
export async function standingOn(ctx: RequestContext, settings: CohortSettings, submitterExternalId: string): Promise<ReviewStanding> {
  return reviewStanding(ctx.actor, submitterExternalId, await leadRoster(ctx, settings));
}

export const needsAnotherLead = (challengeTitle: string): string =>
  `That's your own submission to **${challengeTitle}**, so another lead has to review it: nobody marks their own work. \`/cohort leads list\` shows who leads besides admins.`;

export const SELF_REVIEW_NOTE = 'a self-review: you are the only lead I know of here, so it counts as done but earns no points, and `/cohort stats` and the export flag it';

/** What a lead who submits is told about who will review it; null for everyone else. */
export async function leadSubmitNote(ctx: RequestContext): Promise<string | null> {
  const settings = await ctx.app.stores.communities.settings(ctx.community.id);
  if (!isLead(ctx.actor, settings)) return null;
  const standing = await standingOn(ctx, settings, ctx.actor.externalId);
  return standing === 'self-review'
    ? 'You are the only lead I know of here, so you may accept it yourself in `/cohort review`; a self-review earns no points, and `/cohort stats` and the export flag it.'
    : 'Another lead will review it: leads never review their own.';
}
