// `/cohort challenge post <template> [deadline]`: one of the course's challenge templates.
import { z } from 'zod';
import { endOfDayIn, parseDeadline } from '../../../core/deadlines.js';
import { defineCommand } from '../../command.js';
import { Refusal } from '../../refusal.js';
import { cohortZone, requireLead } from '../lead.js';
import { publishChallenge, requireChannel } from '../publish.js';

export const challengePost = defineCommand({
  verb: 'challenge post',
  summary: "Post one of the course's challenge templates (deadline: its suggested days, end of day)",
  usage: 'challenge post <template> [deadline]',
  params: ['template', 'deadline'],
  restParam: true,
  args: z.object({ template: z.string().trim().toLowerCase().optional(), deadline: z.string().trim().optional() }),
  async run(ctx, args) {
    const settings = await requireLead(ctx);
    requireChannel(settings);
    const templates = ctx.app.catalog.course.challenges;
    const list = templates.map((t) => `\`${t.id}\`: ${t.title} (${t.points} pts, ${t.suggestedDays} days)`).join('\n');
    if (!args.template) throw new Refusal(`Which template? \`/cohort challenge post <template> [deadline]\`:\n${list}`);
    const template = templates.find((t) => t.id === args.template);
    if (!template) throw new Refusal(`There is no challenge template "${args.template}". The templates are:\n${list}`);
    const zone = cohortZone(ctx, settings);
    const now = ctx.app.clock.now();
    let dueAt = endOfDayIn(now, zone, template.suggestedDays);
    if (args.deadline) {
      const due = parseDeadline(args.deadline, now, zone);
      if (!due.ok) throw new Refusal(due.reason);
      dueAt = due.at;
    }
    return publishChallenge(ctx, settings, { templateId: template.id, title: template.title, description: template.body, acceptance: template.acceptance, points: template.points, dueAt });
  },
});
