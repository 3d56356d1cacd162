// The Discord platform's public surface, for main.ts and the register CLI.
export { createDiscordAdapter, type DiscordAdapter, type DiscordAdapterOptions } from './adapter.js';
export type { DiscordSettings } from './client.js';
export { commandDefinitions, type CommandOptions, type TemplateChoice } from './commands.js';
export { inviteUrl } from './invite.js';
export { registerCommands } from './register.js';
