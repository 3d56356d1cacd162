// The application commands, built from the app's verbs: /learn <verb> [options] from LEARNER_COMMANDS, and
// /cohort <verb> or /cohort <group> <verb> [options] from COHORT_COMMANDS (two-word verbs are subcommand groups).
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandGroupOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { COHORT_COMMANDS } from '../../app/cohort/commands/index.js';
import type { Command } from '../../app/command.js';
import { LEARNER_COMMANDS } from '../../app/commands/index.js';
import { NOTE_MAX } from '../../app/commands/practice.js';
import type { ChallengeTemplate } from '../../core/course.js';
import { DISCORD, clamp } from './limits.js';

export const LEARN = 'learn';
export const COHORT = 'cohort';

/** A bound on any value passed on, above every limit the app checks, so the app's own message explains a too-long value. */
export const OPTION_VALUE_MAX = 4000;

const text = (name: string, description: string, extra: Partial<APIApplicationCommandBasicOption> = {}): APIApplicationCommandBasicOption =>
  ({ type: ApplicationCommandOptionType.String, name, description, required: false, ...extra }) as APIApplicationCommandBasicOption;

const choices = (...values: string[]) => values.map((value) => ({ name: value, value }));

/** One Discord option per parameter name the app's commands use. */
export const OPTION_SPECS: Record<string, APIApplicationCommandBasicOption> = {
  timezone: text('timezone', 'Your IANA timezone, e.g. Europe/Berlin (start typing to search)', { autocomplete: true, max_length: 64 }),
  time: text('time', 'When the daily lesson arrives, 24-hour HH:MM, e.g. 09:00', { min_length: 4, max_length: 5 }),
  key: text('key', 'The setting to change (leave out to see your settings)', { choices: choices('timezone', 'time', 'nudges', 'quiet') }),
  value: text('value', 'The new value: a timezone, HH:MM, on/off, or quiet hours HH:MM-HH:MM', { autocomplete: true, max_length: 64 }),
  detail: text('detail', 'Explain each of the last 14 days', { choices: choices('why') }),
  note: text('note', 'What you tried and what you saw (leave out to open a form)', { max_length: NOTE_MAX }),
  link: text('link', 'A link to your notes or code (optional)', { max_length: 500 }),
};

/** Options Discord shows that the text grammar has no positional slot for (a practice link is typed after the note). */
const EXTRA_OPTIONS: Record<string, string[]> = { practice: ['link'] };

/** The option names `/learn <verb>` takes, in order. */
export function optionNames(verb: string): string[] {
  const command = LEARNER_COMMANDS.find((c) => c.verb === verb);
  return command ? [...command.params, ...(EXTRA_OPTIONS[verb] ?? [])] : [];
}

function learnSubcommand(verb: string, summary: string): APIApplicationCommandSubcommandOption {
  const options = optionNames(verb).map((name) => {
    const spec = OPTION_SPECS[name];
    if (!spec) throw new Error(`/learn ${verb} has a parameter "${name}" with no Discord option in OPTION_SPECS`);
    return spec;
  });
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name: verb,
    description: clamp(summary.replaceAll('`', ''), DISCORD.commandDescriptionMax),
    options,
  };
}

/** A challenge template as `/cohort challenge post` offers it (main.ts passes the course's templates). */
export type TemplateChoice = Pick<ChallengeTemplate, 'id' | 'title'>;

export interface CommandOptions {
  /**
   * The course's challenge templates. Up to 25 (Discord's limit) become fixed choices of `/cohort challenge post`;
   * with more, or none given, the option autocompletes from the templates the running bot knows instead.
   */
  challengeTemplates?: readonly TemplateChoice[];
}

/** Whether `template` is a list of choices (fixed at registration) or autocompletes. */
export const templateChoices = (templates: readonly TemplateChoice[] | undefined): readonly TemplateChoice[] | null =>
  templates?.length && templates.length <= DISCORD.optionChoicesMax ? templates : null;

/** Longest challenge number `/cohort` accepts: app/cohort/args.ts takes up to 15 digits. */
const CHALLENGE_NUMBER_MAX = 999_999_999_999_999;

/** One Discord option per parameter name the `/cohort` verbs use (COHORT_COMMANDS[].params). */
function cohortOptionSpecs(templates: readonly TemplateChoice[] | undefined): Record<string, APIApplicationCommandBasicOption> {
  const fixed = templateChoices(templates);
  return {
    channel: {
      type: ApplicationCommandOptionType.Channel,
      name: 'channel',
      description: 'Where challenges and the digest go (leave out to use this channel)',
      channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
    },
    template: fixed
      ? text('template', 'One of the course\'s challenge templates', { choices: fixed.map((t) => ({ name: clamp(t.title, DISCORD.optionChoiceNameMax), value: t.id })) })
      : text('template', 'One of the course\'s challenge templates (start typing to search)', { autocomplete: true, max_length: 100 }),
    deadline: text('deadline', 'In the cohort timezone: 2026-05-15 18:00, 2026-05-15 (23:59) or +7d / +48h', { max_length: 64 }),
    challenge: {
      type: ApplicationCommandOptionType.Integer,
      name: 'challenge',
      description: 'The challenge number, as /cohort challenge list shows it',
      min_value: 1,
      max_value: CHALLENGE_NUMBER_MAX,
    },
    who: { type: ApplicationCommandOptionType.Mentionable, name: 'who', description: 'A person or a role' },
    key: text('key', 'The setting to change (leave out to see the cohort settings)', { choices: choices('timezone') }),
    value: text('value', 'The new value: an IANA timezone, e.g. Europe/Berlin (start typing to search)', { autocomplete: true, max_length: 64 }),
  };
}

/**
 * Which of a command's params are required, read from its usage ("challenge extend <#challenge> <deadline>":
 * `<...>` required, `[...]` optional), so Discord asks for exactly what the app needs.
 */
export function requiredParams(command: Pick<Command<never>, 'verb' | 'usage' | 'params'>): boolean[] {
  const slots = command.usage.slice(command.verb.length).match(/<[^>]*>|\[[^\]]*\]/g) ?? [];
  if (slots.length !== command.params.length) {
    throw new Error(`/cohort ${command.verb}: its usage "${command.usage}" names ${slots.length} argument(s) but it has ${command.params.length} param(s)`);
  }
  return slots.map((slot) => slot.startsWith('<'));
}

/** The option names `/cohort <verb>` takes (verb as the app names it: "challenge post"). */
export function cohortOptionNames(verb: string): string[] {
  return [...(COHORT_COMMANDS.find((c) => c.verb === verb)?.params ?? [])];
}

const GROUP_DESCRIPTIONS: Record<string, string> = {
  challenge: 'Challenges: write or post one, list them, close one early, move a deadline',
  leads: 'Who leads the cohort besides admins: add, remove, list',
};

function cohortSubcommand(command: Command<never>, name: string, specs: Record<string, APIApplicationCommandBasicOption>): APIApplicationCommandSubcommandOption {
  const required = requiredParams(command);
  const options = command.params.map((param, i): APIApplicationCommandBasicOption => {
    const spec = specs[param];
    if (!spec) throw new Error(`/cohort ${command.verb} has a parameter "${param}" with no Discord option in cohortOptionSpecs`);
    return { ...spec, required: required[i] } as APIApplicationCommandBasicOption;
  });
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name,
    description: clamp(command.summary.replaceAll('`', ''), DISCORD.commandDescriptionMax),
    options,
  };
}

/** `/cohort`'s subcommands in COHORT_COMMANDS order; "challenge post" becomes subcommand `post` of group `challenge`. */
function cohortOptions(options: CommandOptions): (APIApplicationCommandSubcommandOption | APIApplicationCommandSubcommandGroupOption)[] {
  const specs = cohortOptionSpecs(options.challengeTemplates);
  const top: (APIApplicationCommandSubcommandOption | APIApplicationCommandSubcommandGroupOption)[] = [];
  for (const command of COHORT_COMMANDS) {
    const [head = command.verb, sub, ...more] = command.verb.split(' ');
    if (more.length) throw new Error(`/cohort ${command.verb}: Discord nests at most a group and a subcommand`);
    if (!sub) {
      top.push(cohortSubcommand(command, head, specs));
      continue;
    }
    let group = top.find((o): o is APIApplicationCommandSubcommandGroupOption => o.type === ApplicationCommandOptionType.SubcommandGroup && o.name === head);
    if (!group) {
      group = { type: ApplicationCommandOptionType.SubcommandGroup, name: head, description: GROUP_DESCRIPTIONS[head] ?? `/cohort ${head} ...`, options: [] };
      top.push(group);
    }
    group.options!.push(cohortSubcommand(command, sub, specs));
  }
  return top;
}

/** The JSON PUT to Discord: the whole command set, replacing what was registered before. */
export function commandDefinitions(options: CommandOptions = {}): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return [
    {
      type: ApplicationCommandType.ChatInput,
      name: LEARN,
      description: 'Backend Mentor: daily lessons, quizzes, practice, streaks and cohort challenges',
      // Usable in servers and in the bot's DMs, where daily lessons arrive.
      contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
      integration_types: [ApplicationIntegrationType.GuildInstall],
      options: LEARNER_COMMANDS.map((c) => learnSubcommand(c.verb, c.summary)),
    },
    {
      type: ApplicationCommandType.ChatInput,
      name: COHORT,
      description: 'Cohort tools for leads: challenges, reviews, stats, export, the weekly digest',
      contexts: [InteractionContextType.Guild],
      integration_types: [ApplicationIntegrationType.GuildInstall],
      // Visible to every member: the app decides who leads (Manage Server, lead users, lead roles), read fresh
      // from the database on every use, and refuses everyone else with a short, private explanation. A Discord
      // permission gate here would hide the command from role and user leads that do not have Manage Server.
      // Explicit null (not omitted) so re-registering lifts the Manage Server default of earlier versions.
      default_member_permissions: null,
      options: cohortOptions(options),
    },
  ];
}
