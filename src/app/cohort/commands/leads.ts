// Leads configure who else leads: people or roles (Discord roles, Slack user groups). Admins always lead.
import { z } from 'zod';
import { defineCommand } from '../../command.js';
import { leadTargetArg, type LeadTarget } from '../args.js';
import { requireLead } from '../lead.js';
import type { CohortSettings } from '../ports.js';

const LEADS_MAX = 50;
const describe = (t: LeadTarget) => (t.type === 'user' ? `person ${t.id}` : `role ${t.id}`);

function listText(settings: CohortSettings): string {
  const all = [...settings.leadUserIds.map((id) => `person ${id}`), ...settings.leadRoleIds.map((id) => `role ${id}`)];
  return all.length ? `Leads besides admins: ${all.join(', ')}.` : 'No leads besides admins (Manage Server on Discord, workspace admins on Slack).';
}

function change(settings: CohortSettings, target: LeadTarget, add: boolean): CohortSettings {
  const key = target.type === 'user' ? 'leadUserIds' : 'leadRoleIds';
  const without = settings[key].filter((id) => id !== target.id);
  return { ...settings, [key]: add ? [...without, target.id].slice(-LEADS_MAX) : without };
}

const edit = (add: boolean) =>
  defineCommand({
    verb: add ? 'leads add' : 'leads remove',
    summary: add ? 'Make a person or a role (Slack: a user group) a cohort lead' : 'Stop a person or role being a cohort lead',
    usage: `${add ? 'leads add' : 'leads remove'} <@person or @role>`,
    params: ['who'],
    args: z.object({ who: leadTargetArg }),
    async run(ctx, { who }) {
      await requireLead(ctx);
      const settings = await ctx.app.stores.communities.updateSettings(ctx.community.id, (s) => change(s, who, add));
      return { text: `${add ? '✅ Added' : '✅ Removed'} ${describe(who)}. ${listText(settings)}`, ephemeral: true };
    },
  });

export const leadsAdd = edit(true);
export const leadsRemove = edit(false);

export const leadsList = defineCommand({
  verb: 'leads list',
  summary: 'Who leads the cohort besides admins',
  usage: 'leads list',
  params: [],
  args: z.object({}),
  async run(ctx) {
    return { text: listText(await requireLead(ctx)), ephemeral: true };
  },
});
