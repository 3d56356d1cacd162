import { z } from 'zod';
import type { ChannelAccess, Platform } from '../../ports.js';
import { defineCommand } from '../../command.js';
import { Refusal } from '../../refusal.js';
import { channelArg } from '../args.js';
import { requireLead } from '../lead.js';

/** How to name a channel in text: Discord shows `<#id>` as the channel; elsewhere the id reads fine. */
export const channelRef = (platform: Platform, id: string): string => (platform === 'discord' ? `<#${id}>` : `#${id}`);

/** 'SendMessages' -> 'Send Messages': Discord's names as its settings screens show them. */
const spaced = (permission: string) => permission.replace(/([a-z])([A-Z])/g, '$1 $2');

function cannotPost(platform: Platform, where: string, access: Exclude<ChannelAccess, { ok: true }>): string {
  const again = 'then run `/cohort channel` again.';
  const invite = 'type `/invite @` and my name in that channel';
  switch (access.problem) {
    case 'unknown-channel':
      // Slack hides a private channel from a bot that is not in it.
      return platform === 'slack'
        ? `I can't see ${where}. If it is a private channel, invite me to it (${invite}), ${again}`
        : `I can't find ${where} in this server. Pick one of its channels, or run \`/cohort channel\` inside the one you want.`;
    case 'not-member':
      return `I'm not in ${where} yet, so I couldn't post there. Invite me to it (${invite}), ${again}`;
    case 'archived':
      return `${where} is archived, so I couldn't post there. Pick another channel.`;
    case 'missing-permissions':
      return `I couldn't post in ${where}: my role lacks ${access.missing.map(spaced).join(', ')} there. Grant it in the channel's settings (Permissions), ${again}`;
  }
}

export const channel = defineCommand({
  verb: 'channel',
  summary: 'Where challenges and the weekly digest go (this channel when you name none)',
  usage: 'channel [#channel]',
  params: ['channel'],
  args: z.object({ channel: channelArg.optional() }),
  async run(ctx, args) {
    await requireLead(ctx);
    const channelId = args.channel ?? ctx.channelId;
    if (!channelId) throw new Refusal('Run `/cohort channel` inside the channel you want, or name it: `/cohort channel #cohort`.');
    // Challenges and the digest are posted later, by a job: find out now, while the lead is here to fix it.
    const access = await ctx.app.messengers?.[ctx.community.platform]?.channelAccess?.(ctx.community.externalId, channelId);
    if (access && !access.ok) throw new Refusal(cannotPost(ctx.community.platform, channelRef(ctx.community.platform, channelId), access));
    await ctx.app.stores.communities.updateSettings(ctx.community.id, (s) => ({ ...s, cohortChannelId: channelId }));
    return { text: `📣 Challenges and the weekly digest now go to ${channelRef(ctx.community.platform, channelId)}.`, ephemeral: true };
  },
});
