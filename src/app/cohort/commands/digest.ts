// `/cohort digest`: the weekly digest now (the Monday one still comes; this one does not count as it).
import { z } from 'zod';
import { defineCommand } from '../../command.js';
import { buildDigest } from '../digest.js';
import { cohortZone, requireLead } from '../lead.js';

export const digest = defineCommand({
  verb: 'digest',
  summary: 'Post the weekly digest in the cohort channel now (a preview for you when there is no channel)',
  usage: 'digest',
  params: [],
  args: z.object({}),
  async run(ctx) {
    const settings = await requireLead(ctx);
    const reply = await buildDigest(ctx.app, ctx.community.id, cohortZone(ctx, settings));
    const messenger = ctx.app.messengers?.[ctx.community.platform];
    if (!settings.cohortChannelId || !messenger) {
      const why = settings.cohortChannelId ? "I can't post in the channel from here right now" : 'There is no cohort channel yet (`/cohort channel`)';
      return { ...reply, text: `${why}, so here is a preview.\n\n${reply.text}`, ephemeral: true };
    }
    const at = ctx.app.clock.now();
    await messenger.sendToChannel(ctx.community.externalId, settings.cohortChannelId, reply, `digest-now:${ctx.community.id}:${at.getTime()}`);
    return { text: '📰 Posted the digest in the cohort channel.', ephemeral: true };
  },
});
