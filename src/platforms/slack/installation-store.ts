// Bolt's InstallationStore over the Installations port (Postgres), and the bot token for a team.
// Installations hold tokens: they are stored and read, never logged.
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { z } from 'zod';
import { PermanentJobError } from '../../app/jobs/errors.js';
import type { Installations, Log } from '../../app/ports.js';

const storedSchema = z
  .object({
    team: z.object({ id: z.string() }).nullish(),
    enterprise: z.object({ id: z.string() }).nullish(),
    isEnterpriseInstall: z.boolean().optional(),
    bot: z.object({ token: z.string().min(1), id: z.string().optional(), userId: z.string().optional() }).optional(),
  })
  .loose();

/** Org-wide (Enterprise Grid) installs are keyed by the enterprise, the rest by the team. */
function keyOf(query: { isEnterpriseInstall?: boolean; enterpriseId?: string; teamId?: string }): string {
  const key = query.isEnterpriseInstall ? query.enterpriseId : query.teamId;
  if (!key) throw new Error('the Slack installation names neither a team nor an enterprise');
  return key;
}

export function slackInstallationStore(installations: Installations, log: Log): InstallationStore {
  return {
    async storeInstallation(installation: Installation) {
      const key = keyOf({ isEnterpriseInstall: installation.isEnterpriseInstall, enterpriseId: installation.enterprise?.id, teamId: installation.team?.id });
      await installations.save('slack', key, JSON.parse(JSON.stringify(installation)) as Record<string, unknown>);
      log.info({ team: installation.team?.id, enterprise: installation.enterprise?.id, scopes: installation.bot?.scopes }, 'slack workspace installed');
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const key = keyOf(query);
      const stored = await installations.fetch('slack', key);
      // Bolt expects a throw when there is none; it then refuses the event (an AuthorizationError).
      if (!stored) throw new Error(`no Slack installation for ${key}`);
      if (!storedSchema.safeParse(stored).success) throw new Error(`the stored Slack installation for ${key} is malformed; reinstall the app`);
      return stored as unknown as Installation<'v1' | 'v2', boolean>;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await installations.remove('slack', keyOf(query));
      log.info({ team: query.teamId, enterprise: query.enterpriseId }, 'slack installation removed');
    },
  };
}

/** The bot token that speaks for a team: the single-workspace token, or the team's OAuth installation. */
export type BotTokenFor = (teamId: string) => Promise<string>;

export function botTokenSource(options: { botToken?: string; installations?: Installations }): BotTokenFor {
  const { botToken, installations } = options;
  if (!installations) {
    if (!botToken) throw new Error('Slack needs SLACK_BOT_TOKEN or OAuth (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET)');
    return async () => botToken;
  }
  return async (teamId) => {
    const parsed = storedSchema.safeParse(await installations.fetch('slack', teamId));
    // Retrying cannot help until someone installs the app in that workspace (again).
    if (!parsed.success || !parsed.data.bot) throw new PermanentJobError(`the app is not installed in Slack workspace ${teamId} (or its installation has no bot token); install it again`);
    return parsed.data.bot.token;
  };
}
