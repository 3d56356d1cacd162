// The Discord platform: gateway connection, interactions -> app -> replies, and the Messenger.
import { once } from 'node:events';
import { Events, type AutocompleteInteraction, type Client, type Interaction } from 'discord.js';
import type { Inbound, InboundRequest, InboundUser } from '../../app/inbound.js';
import type { Log, PlatformAdapter } from '../../app/ports.js';
import type { Reply } from '../../core/reply.js';
import { suggest } from './autocomplete.js';
import { createClient, type DiscordSettings, type RestTuning } from './client.js';
import type { TemplateChoice } from './commands.js';
import { loggable } from './errors.js';
import { commandPath, route, type HandledInteraction } from './inbound.js';
import { inviteUrl } from './invite.js';
import { DiscordMessenger } from './messenger.js';
import { ACK_AFTER_MS, defer, send } from './respond.js';

export interface DiscordAdapterOptions {
  config: DiscordSettings;
  /** The app, for interactions in a server. Expected never to throw (dispatch does not). */
  handle(inbound: Inbound): Promise<Reply>;
  /** The app, for interactions in DMs, which carry no server: it finds the person's community (app/direct.ts). */
  handleDirect(user: InboundUser, request: InboundRequest): Promise<Reply>;
  log: Log;
  /**
   * The course's challenge templates (id, title): what `/cohort challenge post template:` suggests when the
   * registered command autocompletes (more than 25 templates, or registered without them). Pass the same list
   * to registerCommands.
   */
  challengeTemplates?: readonly TemplateChoice[];
  /** Tests shorten these; production keeps the defaults. */
  rest?: RestTuning;
  ackAfterMs?: number;
}

export interface DiscordAdapter extends PlatformAdapter {
  readonly client: Client;
}

const APOLOGY: Reply = { text: 'Sorry, something went wrong on my side. It has been logged; please try again in a moment.', ephemeral: true };

/** Describes an interaction for logs: ids and kinds, never tokens or what the person typed. */
function describe(interaction: Interaction): Record<string, unknown> {
  return {
    platform: 'discord',
    interaction: interaction.id,
    type: interaction.type,
    guild: interaction.guildId,
    user: interaction.user.id,
    ...(interaction.isCommand() || interaction.isAutocomplete() ? { command: interaction.commandName } : {}),
    ...(interaction.isMessageComponent() || interaction.isModalSubmit() ? { customId: interaction.customId } : {}),
  };
}

export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  const { config, log } = options;
  const ackAfterMs = options.ackAfterMs ?? ACK_AFTER_MS;
  const client = createClient(config, options.rest);
  const messenger = new DiscordMessenger(client, log, config.applicationId);

  async function produce(interaction: HandledInteraction): Promise<Reply> {
    const { community, user, channelId, request } = route(interaction);
    return community ? options.handle({ community, user, request, ...(channelId ? { channelId } : {}) }) : options.handleDirect(user, request);
  }

  async function answer(interaction: HandledInteraction): Promise<void> {
    const work = produce(interaction).catch((error: unknown) => {
      log.error({ err: loggable(error), ...describe(interaction) }, 'Discord: the app failed on an interaction');
      return APOLOGY;
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(resolve, ackAfterMs, null)));
    const quick = await Promise.race([work, late]);
    clearTimeout(timer);
    if (quick) return send(interaction, quick, false);
    await defer(interaction);
    await send(interaction, await work, true);
  }

  async function complete(interaction: AutocompleteInteraction): Promise<void> {
    // Read the raw options: a payload without a focused option gets no suggestions rather than an exception.
    const { group, sub, options: given } = commandPath(interaction.options.data);
    const focused = given.find((o) => o.focused);
    const key = given.find((o) => o.name === 'key')?.value;
    const verb = group ? `${group} ${sub ?? ''}`.trim() : (sub ?? '');
    await interaction.respond(focused ? suggest(verb, focused.name, focused.value, key, { templates: options.challengeTemplates }) : []);
  }

  client.on(Events.InteractionCreate, (interaction) => {
    const handled = interaction.isAutocomplete()
      ? complete(interaction)
      : interaction.isChatInputCommand() || interaction.isButton() || interaction.isModalSubmit()
        ? answer(interaction)
        : Promise.resolve();
    // Nothing an interaction does may take the process down; a failure is logged with what it was.
    handled.catch((error: unknown) => log.error({ err: loggable(error), ...describe(interaction) }, 'Discord: answering an interaction failed'));
  });
  client.on(Events.Error, (error) => log.error({ err: loggable(error), platform: 'discord' }, 'Discord client error'));
  client.on(Events.Warn, (message) => log.warn({ platform: 'discord' }, `Discord: ${message}`));
  client.on(Events.ShardDisconnect, (event, shard) => log.warn({ platform: 'discord', shard, code: event.code }, 'Discord: shard disconnected and will not reconnect'));
  client.rest.on('rateLimited', (info) =>
    log.warn({ platform: 'discord', route: info.route, retryAfterMs: info.retryAfter, global: info.global, scope: info.scope }, 'Discord: rate limited; waiting'),
  );

  return {
    platform: 'discord',
    client,
    messenger,
    async start() {
      const ready = once(client, Events.ClientReady);
      await client.login(config.token);
      await ready;
      log.info(
        { platform: 'discord', user: client.user?.tag, guilds: client.guilds.cache.size, invite: inviteUrl(config.applicationId) },
        'Discord: connected. Add the bot to a server with the invite link',
      );
    },
    async stop() {
      await client.destroy();
    },
  };
}
