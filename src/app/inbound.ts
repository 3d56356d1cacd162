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
  | { type: 'command'; verb: string; args: Record<string, string | undefined> }
  | { type: 'action'; actionId: string }
  | { type: 'form'; formId: string; fields: Record<string, string | undefined> }
  /** The learner's dashboard (Slack App Home). */
  | { type: 'home' };

export interface Inbound {
  community: CommunityRef;
  user: InboundUser;
  /** The community channel the request came from; absent for direct messages. */
  channelId?: string;
  request: InboundRequest;
}
