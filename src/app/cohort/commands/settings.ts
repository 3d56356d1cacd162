import { z } from 'zod';
import { timezoneArg } from '../../args.js';
import { defineCommand } from '../../command.js';
import { Refusal } from '../../refusal.js';
import { cohortZone, requireLead } from '../lead.js';
import { parseOrRefuse } from '../parse.js';
import { channelRef } from './channel.js';

export const cohortSettings = defineCommand({
  verb: 'settings',
  summary: "The cohort's channel, timezone and leads; `settings timezone <zone>` sets the zone deadlines use",
  usage: 'settings [timezone] [value]',
  params: ['key', 'value'],
  args: z.object({ key: z.string().trim().toLowerCase().optional(), value: z.string().trim().optional() }),
  async run(ctx, args) {
    let settings = await requireLead(ctx);
    if (args.key !== undefined) {
      if (args.key !== 'timezone') throw new Refusal(`I don't know the cohort setting "${args.key}". Try \`/cohort settings timezone Europe/Berlin\`.`);
      if (!args.value) throw new Refusal('Which timezone? For example `/cohort settings timezone Europe/Berlin`.');
      const timezone = parseOrRefuse(timezoneArg, args.value);
      settings = await ctx.app.stores.communities.updateSettings(ctx.community.id, (s) => ({ ...s, timezone }));
    }
    const leads = [...settings.leadUserIds.map((id) => `person ${id}`), ...settings.leadRoleIds.map((id) => `role ${id}`)];
    return {
      title: 'Cohort settings',
      text: args.key ? `Deadlines and the digest now follow **${cohortZone(ctx, settings)}**.` : 'What the cohort tools use. Change them with `/cohort channel`, `/cohort settings timezone <zone>` and `/cohort leads`.',
      fields: [
        { name: 'Channel', value: settings.cohortChannelId ? channelRef(ctx.community.platform, settings.cohortChannelId) : 'not set', inline: true },
        { name: 'Timezone', value: cohortZone(ctx, settings), inline: true },
        { name: 'Leads besides admins', value: leads.length ? leads.join(', ') : 'none' },
      ],
      ephemeral: true,
    };
  },
});
