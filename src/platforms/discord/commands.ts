// The application commands, built from the app's learner verbs: /learn <verb> [options], and /cohort for leads.
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { LEARNER_COMMANDS } from '../../app/commands/index.js';
import { NOTE_MAX } from '../../app/commands/practice.js';
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

function subcommand(verb: string, summary: string): APIApplicationCommandSubcommandOption {
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

export const COHORT_PLACEHOLDER = 'Cohort tools (challenges, reviews, the weekly digest) are coming soon. Learners use `/learn`.';

/** The JSON PUT to Discord: the whole command set, replacing what was registered before. */
export function commandDefinitions(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return [
    {
      type: ApplicationCommandType.ChatInput,
      name: LEARN,
      description: 'Backend Mentor: daily lessons, quizzes, practice and streaks',
      // Usable in servers and in the bot's DMs, where daily lessons arrive.
      contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
      integration_types: [ApplicationIntegrationType.GuildInstall],
      options: LEARNER_COMMANDS.map((c) => subcommand(c.verb, c.summary)),
    },
    {
      type: ApplicationCommandType.ChatInput,
      name: COHORT,
      description: 'Cohort tools for leads',
      contexts: [InteractionContextType.Guild],
      integration_types: [ApplicationIntegrationType.GuildInstall],
      // Hidden from members without Manage Server until an admin grants it (Server Settings > Integrations).
      default_member_permissions: String(PermissionFlagsBits.ManageGuild),
      options: [{ type: ApplicationCommandOptionType.Subcommand, name: 'help', description: 'What cohort tools there are' }],
    },
  ];
}
