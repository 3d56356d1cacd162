// Registers the application commands: to one server (instant, for trying out) or globally (every server).
import { REST, Routes, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import type { DiscordSettings, RestTuning } from './client.js';
import { commandDefinitions, type CommandOptions } from './commands.js';

export interface Registered {
  scope: 'guild' | 'global';
  names: string[];
}

/** `commands.challengeTemplates`: the course's templates, the choices of `/cohort challenge post` (see commands.ts). */
export async function registerCommands(config: DiscordSettings, tuning: RestTuning = {}, commands: CommandOptions = {}): Promise<Registered> {
  const rest = new REST({ ...(config.apiUrl ? { api: config.apiUrl } : {}), ...tuning }).setToken(config.token);
  const route = config.guildId ? Routes.applicationGuildCommands(config.applicationId, config.guildId) : Routes.applicationCommands(config.applicationId);
  // PUT replaces the whole set, so a renamed or removed command disappears instead of lingering.
  const result = (await rest.put(route, { body: commandDefinitions(commands) })) as RESTPutAPIApplicationCommandsResult;
  return { scope: config.guildId ? 'guild' : 'global', names: result.map((c) => c.name) };
}
