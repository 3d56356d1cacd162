// Argument schemas of the cohort tools. Platforms send mentions in their own syntax; all become plain ids.
import { z } from 'zod';

const ID = /^[A-Za-z0-9_.-]{1,80}$/;

/** A channel: Discord/Slack mention (`<#123>`, `<#C123|name>`), `#id` or a bare id. */
export const channelArg = z
  .string({ message: 'Name the channel with a mention such as #cohort, or run `/cohort channel` inside it.' })
  .trim()
  .transform((v) => /^<#([A-Za-z0-9]+)(?:\|[^>]*)?>$/.exec(v)?.[1] ?? v.replace(/^#/, ''))
  .refine((v) => ID.test(v), 'Name the channel with a mention such as #cohort, or run `/cohort channel` inside it.');

/** A challenge number as lists show it: `12` or `#12`. */
export const challengeArg = z
  .string({ message: 'Name the challenge by its number, for example `#12` (see `/cohort challenge list`).' })
  .trim()
  .regex(/^#?[1-9]\d{0,14}$/, 'Name the challenge by its number, for example `#12` (see `/cohort challenge list`).')
  .transform((v) => Number(v.replace('#', '')));

export type LeadTarget = { type: 'user' | 'role'; id: string };

/** A person or a role/user group: `<@U1>`, `<@!1>`, `<@&1>`, `<!subteam^S1|@x>`, `role:<id>` or a bare user id. */
export const leadTargetArg = z
  .string({ message: 'Name a person (@someone) or a role or user group (@leads).' })
  .trim()
  .transform((v, ctx): LeadTarget => {
    const user = /^<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>$/.exec(v);
    const role = /^<@&(\d+)>$/.exec(v) ?? /^<!subteam\^([A-Za-z0-9]+)(?:\|[^>]*)?>$/.exec(v) ?? /^role:([A-Za-z0-9_.-]{1,80})$/.exec(v);
    if (user) return { type: 'user', id: user[1]! };
    if (role) return { type: 'role', id: role[1]! };
    if (ID.test(v.replace(/^@/, ''))) return { type: 'user', id: v.replace(/^@/, '') };
    ctx.addIssue({ code: 'custom', message: 'Name a person (@someone) or a role or user group (@leads).' });
    return z.NEVER;
  });
