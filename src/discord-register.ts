// `npm run discord:register`: registers /learn and /cohort (to DISCORD_GUILD_ID when set, else globally)
// and prints the invite link. Prints nothing secret.
import path from 'node:path';
import { ConfigError, loadConfig } from './config.js';
import { formatProblem, loadCourse } from './content/load.js';
import { inviteUrl, registerCommands } from './platforms/discord/index.js';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.discord) throw new ConfigError(['DISCORD_TOKEN and DISCORD_APPLICATION_ID are needed to register commands']);
  // The course's challenge templates become fixed choices of /cohort challenge post.
  const dir = path.resolve(config.CONTENT_DIR, config.COURSE_ID);
  const { course, problems } = await loadCourse(dir);
  if (!course) throw new Error(`the course in ${dir} has problems; run npm run content:check\n${problems.map(formatProblem).join('\n')}`);
  const { scope, names } = await registerCommands(config.discord, {}, { challengeTemplates: course.challenges });
  const where = scope === 'guild' ? `to server ${config.discord.guildId} (available at once)` : 'globally (may take up to an hour to appear everywhere)';
  process.stdout.write(`Registered ${names.map((n) => `/${n}`).join(', ')} ${where}.\n`);
  process.stdout.write(`Invite the bot with:\n${inviteUrl(config.discord.applicationId)}\n`);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : `Registering the Discord commands failed: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
