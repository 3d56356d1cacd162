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
