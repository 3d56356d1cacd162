// Discord errors as they may be logged: an interaction's URL holds its token (a credential for 15 minutes).
import { DiscordAPIError, HTTPError } from 'discord.js';

const TOKEN_IN_PATH = /((?:interactions|webhooks)\/\d+\/)[^/?]+/g;

export const redactTokens = (text: string): string => text.replace(TOKEN_IN_PATH, '$1[token]');

/** The error with tokens removed and without the request body (which may hold what a person typed). */
export function loggable(error: unknown): unknown {
  if (error instanceof DiscordAPIError) {
    return { name: error.name, message: redactTokens(error.message), code: error.code, status: error.status, method: error.method, url: redactTokens(error.url) };
  }
  if (error instanceof HTTPError) {
    return { name: error.name, message: redactTokens(error.message), status: error.status, method: error.method, url: redactTokens(error.url) };
  }
  return error;
}
