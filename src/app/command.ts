import type { z } from 'zod';
import type { Actor } from '../core/permissions.js';
import type { Reply } from '../core/reply.js';
import type { Inbound, InboundUser } from './inbound.js';
import type { AppContext, Community, Learner } from './ports.js';

export interface RequestContext {
  app: AppContext;
  community: Community;
  user: InboundUser;
  actor: Actor;
  /** Null until the person runs `start`. */
  learner: Learner | null;
  /** The community channel the request came from (null in direct messages). */
  channelId: string | null;
}

export interface Command<A = Record<string, unknown>> {
  verb: string;
  summary: string;
  /** Shown in help and on bad arguments, e.g. "start [timezone] [HH:MM]". */
  usage: string;
  /** Positional names for the text grammar (`/learn start Europe/Berlin 09:00`). */
  params: readonly string[];
  /** The last param takes the rest of the line (free text such as a practice note). */
  restParam?: boolean;
  args: z.ZodType<A>;
  run(ctx: RequestContext, args: A): Promise<Reply>;
}

export const defineCommand = <A>(command: Command<A>): Command<A> => command;

/** Who is asking, from what the platform says about them and their learner row (if any). */
export function requestContext(app: AppContext, community: Community, inbound: Inbound, learner: Learner | null): RequestContext {
  const actor: Actor = {
    learnerId: learner?.id ?? null,
    externalId: inbound.user.externalId,
    isAdmin: inbound.user.isAdmin ?? false,
    roleIds: inbound.user.roleIds ?? [],
  };
  return { app, community, user: inbound.user, actor, learner, channelId: inbound.channelId ?? null };
}
