// The neutral request every platform produces.
import type { CommunityRef } from './ports.js';

export interface InboundUser {
  externalId: string;
  displayName: string;
  /** Discord Manage Server, Slack workspace admin. */
  isAdmin?: boolean;
  roleIds?: string[];
}

export type InboundRequest =
  /** `group` says which command: `/learn` (the default) or `/cohort`, whose verbs may be two words ("challenge post"). */
  | { type: 'command'; verb: string; args: Record<string, string | undefined>; group?: CommandGroup }
  | { type: 'action'; actionId: string }
  | { type: 'form'; formId: string; fields: Record<string, string | undefined> }
  /** The learner's dashboard (Slack App Home). */
  | { type: 'home' };

export type CommandGroup = 'learn' | 'cohort';

export interface Inbound {
  community: CommunityRef;
  user: InboundUser;
  /** The community channel the request came from; absent for direct messages. */
  channelId?: string;
  request: InboundRequest;
}
