// Every `/cohort` verb, in the order help lists them. Verbs may be two words ("challenge post"): the text
// grammar matches the longest, and Discord maps them to subcommand groups.
import type { Command } from '../../command.js';
import { channel } from './channel.js';
import { challengeNew } from './challenge-new.js';
import { challengePost } from './challenge-post.js';
import { challengeClose, challengeExtend, challengeList } from './challenge-manage.js';
import { digest } from './digest.js';
import { cohortExport } from './export.js';
import { cohortHelp } from './help.js';
import { leadsAdd, leadsList, leadsRemove } from './leads.js';
import { review } from './review.js';
import { cohortSettings } from './settings.js';
import { stats } from './stats.js';

export const COHORT_COMMANDS: readonly Command<never>[] = [
  channel,
  challengeNew,
  challengePost,
  challengeList,
  challengeClose,
  challengeExtend,
  review,
  stats,
  cohortExport,
  digest,
  cohortSettings,
  leadsAdd,
  leadsRemove,
  leadsList,
  cohortHelp(() => COHORT_COMMANDS),
] as unknown as Command<never>[];

/** The two-word groups, for grammars and Discord subcommand groups. */
export const COHORT_GROUPS = ['challenge', 'leads'] as const;

export const findCohortCommand = (verb: string): Command<unknown> | undefined =>
  COHORT_COMMANDS.find((c) => c.verb === verb) as Command<unknown> | undefined;

/** Why a `/cohort` verb is unknown, naming the subcommands when it is a group word ("challenge"). */
export function unknownCohortVerb(verb: string): string {
  const group = COHORT_GROUPS.find((g) => verb === g || verb.startsWith(`${g} `));
  if (!group) return `I don't know "/cohort ${verb}". Try \`/cohort help\` to see what I can do.`;
  const subcommands = COHORT_COMMANDS.filter((c) => c.verb.startsWith(`${group} `)).map((c) => `\`/cohort ${c.usage}\``);
  return `I don't know "/cohort ${verb}". With ${group}, you can use:\n${subcommands.join('\n')}`;
}
