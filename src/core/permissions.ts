// Who may do what. Platforms report facts (admin flag, roles); the rules live here.

export interface Actor {
  learnerId: number | null;
  externalId: string;
  /** The platform says this person administers the community (Discord Manage Server, Slack admin). */
  isAdmin: boolean;
  roleIds: readonly string[];
}

export interface LeadSettings {
  leadRoleIds: readonly string[];
  leadUserIds: readonly string[];
}

export function isLead(actor: Actor, settings: LeadSettings): boolean {
  return (
    actor.isAdmin ||
    settings.leadUserIds.includes(actor.externalId) ||
    actor.roleIds.some((role) => settings.leadRoleIds.includes(role))
  );
}

/** A button or form payload acts on its owner's data only. */
export function mayActFor(actor: Actor, ownerLearnerId: number): boolean {
  return actor.learnerId !== null && actor.learnerId === ownerLearnerId;
}

/**
 * Who else leads, as far as the bot can tell. Admins and role members are platform facts it cannot list,
 * so people seen acting as leads lately (posting a challenge, reviewing) stand in for them.
 */
export interface LeadRoster extends LeadSettings {
  /** External ids of people who posted a challenge or reviewed a submission in the last LEAD_ACTIVE_DAYS. */
  recentLeadIds: readonly string[];
}

export const LEAD_ACTIVE_DAYS = 30;
/** The start of the window in which acting as a lead counts towards the roster. */
export const leadActiveSince = (now: Date): Date => new Date(now.getTime() - LEAD_ACTIVE_DAYS * 86_400_000);

/**
 * Whether someone other than the actor can review. Someone who leads without being an admin always has one:
 * every Discord server has an owner and every Slack workspace an admin, and admins always lead.
 */
export function anotherLeadKnown(actor: Actor, roster: LeadRoster): boolean {
  if (!actor.isAdmin) return true;
  if (roster.leadRoleIds.length > 0) return true;
  return [...roster.leadUserIds, ...roster.recentLeadIds].some((id) => id !== actor.externalId);
}

/**
 * How a lead stands towards one submission: someone else's is a peer review; one's own needs another lead,
 * unless nobody else leads, and then it is a self-review: allowed, flagged, and worth no points.
 */
export type ReviewStanding = 'peer' | 'needs-another-lead' | 'self-review';

export function reviewStanding(actor: Actor, submitterExternalId: string, roster: LeadRoster): ReviewStanding {
  if (actor.externalId !== submitterExternalId) return 'peer';
  return anotherLeadKnown(actor, roster) ? 'needs-another-lead' : 'self-review';
}

/** Only a review by someone other than the submitter earns the challenge's points. */
export const reviewEarnsPoints = (standing: ReviewStanding): boolean => standing === 'peer';
