import { z } from 'zod';
import type { Platform } from '../../ports.js';
import { defineCommand } from '../../command.js';
import { Refusal } from '../../refusal.js';
import { channelArg } from '../args.js';
import { requireLead } from '../lead.js';

/** How to name a channel in text: Discord shows `<#id>` as the channel; elsewhere the id reads fine. */
export const channelRef = (platform: Platform, id: string): string => (platform === 'discord' ? `<#${id}>` : `#${id}`);

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
    await ctx.app.stores.communities.updateSettings(ctx.community.id, (s) => ({ ...s, cohortChannelId: channelId }));
    return { text: `📣 Challenges and the weekly digest now go to ${channelRef(ctx.community.platform, channelId)}.`, ephemeral: true };
  },
});
