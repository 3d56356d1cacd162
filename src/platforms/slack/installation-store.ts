// Bolt's InstallationStore over the Installations port (Postgres), and the bot token for a team.
// Installations hold tokens: they are stored and read, never logged.
//
// Enterprise Grid: an org-wide install is one row under the enterprise (E…), but requests and jobs name a
// workspace (T…), and Slack's install payload lists no workspaces. So each workspace the org token serves
// gets a row `enterprise-team:T…` naming its enterprise, written when it becomes known: at install
// (auth.teams.list), on team_access_granted, and on the first request from it (covering installs made
// before these rows existed). Workers see no requests: they read the row from Postgres. A workspace's own
// install wins over it; a row whose org install is gone just means "not installed".
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { z } from 'zod';
import { PermanentJobError } from '../../app/jobs/errors.js';
import type { Installations, Log } from '../../app/ports.js';
import { describeError } from './errors.js';

const storedSchema = z
  .object({
    team: z.object({ id: z.string() }).nullish(),
    enterprise: z.object({ id: z.string() }).nullish(),
    isEnterpriseInstall: z.boolean().optional(),
    bot: z.object({ token: z.string().min(1), id: z.string().optional(), userId: z.string().optional() }).optional(),
  })
  .loose();

const orgTeamSchema = z.object({ enterpriseId: z.string().min(1) });
const orgTeamKey = (teamId: string) => `enterprise-team:${teamId}`;

type Query = { teamId?: string | undefined; enterpriseId?: string | undefined; isEnterpriseInstall?: boolean | undefined };
/** The enterprise whose org install a query names: org-level events (is_enterprise_install, or no team at all). */
const orgOf = (query: Query) => (query.enterpriseId && (query.isEnterpriseInstall || !query.teamId) ? query.enterpriseId : undefined);

/** `linked`: found through the team's enterprise-team row (nothing new to record). */
type Found = { key: string; stored: Record<string, unknown>; linked?: boolean };

/**
 * The installation serving a query: the org install it names (org-level events carry no team), else the
 * team's own, else the org install serving the team.
 */
async function lookup(installations: Installations, query: Query): Promise<Found | null> {
  const { teamId, enterpriseId } = query;
  const org = orgOf(query);
  const at = async (key: string) => {
    const stored = await installations.fetch('slack', key);
    return stored ? { key, stored } : null;
  };
  if (org) return at(org);
  if (!teamId) return null;
  const own = await at(teamId);
  if (own) return own;
  const link = orgTeamSchema.safeParse(await installations.fetch('slack', orgTeamKey(teamId)));
  if (link.success) {
    const found = await at(link.data.enterpriseId);
    return found && { ...found, linked: true };
  }
  // A request from a workspace of an org install we have not linked yet.
  return enterpriseId ? at(enterpriseId) : null;
}

export interface SlackInstallationStore extends InstallationStore {
  deleteInstallation(query: Query): Promise<void>;
  /** team_access_granted: the org install now serves these workspaces. */
  grantTeams(enterpriseId: string, teamIds: string[]): Promise<void>;
  /** team_access_revoked: it no longer does. */
  revokeTeams(teamIds: string[]): Promise<void>;
}

export interface SlackInstallationStoreOptions {
  /** The workspaces an org-wide token serves (auth.teams.list). */
  teamsOf?: (token: string) => Promise<string[]>;
}

export function slackInstallationStore(installations: Installations, log: Log, options: SlackInstallationStoreOptions = {}): SlackInstallationStore {
  /** Workspaces linked by this process, so a busy workspace does not write on every request. */
  const linked = new Map<string, string>();
  const link = async (teamId: string, enterpriseId: string) => {
    if (linked.get(teamId) === enterpriseId) return;
    await installations.save('slack', orgTeamKey(teamId), { enterpriseId });
    linked.set(teamId, enterpriseId);
  };

  return {
    async storeInstallation(installation: Installation) {
      const org = installation.isEnterpriseInstall ? installation.enterprise?.id : undefined;
      const key = org ?? installation.team?.id;
      if (!key) throw new Error('the Slack installation names neither a team nor an enterprise');
      await installations.save('slack', key, JSON.parse(JSON.stringify(installation)) as Record<string, unknown>);
      log.info({ team: installation.team?.id, enterprise: installation.enterprise?.id, scopes: installation.bot?.scopes }, 'slack workspace installed');
      if (!org || !installation.bot || !options.teamsOf) return;
      try {
        for (const teamId of await options.teamsOf(installation.bot.token)) await link(teamId, org);
      } catch (error) {
        // The install stands; its workspaces are linked on team_access_granted or their first request.
        log.warn({ enterprise: org, ...describeError(error) }, 'could not list the workspaces of a Slack org install');
      }
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const found = await lookup(installations, query);
      const name = query.teamId ?? query.enterpriseId;
      // Bolt expects a throw when there is none; it then refuses the event (an AuthorizationError).
      if (!found) throw new Error(`no Slack installation for ${name}`);
      if (!storedSchema.safeParse(found.stored).success) throw new Error(`the stored Slack installation for ${name} is malformed; reinstall the app`);
      if (query.teamId && found.key !== query.teamId && !found.linked) await link(query.teamId, found.key);
      return found.stored as unknown as Installation<'v1' | 'v2', boolean>;
    },
    async deleteInstallation(query: Query) {
      // The org install only for an org-level event: a workspace's uninstall must not take its org's down.
      const key = orgOf(query) ?? query.teamId;
      if (!key) return;
      await installations.remove('slack', key);
      for (const [team, org] of linked) if (org === key) linked.delete(team);
      log.info({ team: query.teamId, enterprise: query.enterpriseId, removed: key }, 'slack installation removed');
    },
    async grantTeams(enterpriseId, teamIds) {
      for (const teamId of teamIds) await link(teamId, enterpriseId);
    },
    async revokeTeams(teamIds) {
      for (const teamId of teamIds) {
        await installations.remove('slack', orgTeamKey(teamId));
        linked.delete(teamId);
      }
    },
  };
}

/** The bot token that speaks for a team: the single-workspace token, or the OAuth installation serving the team. */
export type BotTokenFor = (teamId: string) => Promise<string>;

export function botTokenSource(options: { botToken?: string; installations?: Installations }): BotTokenFor {
  const { botToken, installations } = options;
  if (!installations) {
    if (!botToken) throw new Error('Slack needs SLACK_BOT_TOKEN or OAuth (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET)');
    return async () => botToken;
  }
  return async (teamId) => {
    const parsed = storedSchema.safeParse((await lookup(installations, { teamId }))?.stored);
    // Retrying cannot help until someone installs the app in that workspace (again).
    if (!parsed.success || !parsed.data.bot) throw new PermanentJobError(`the app is not installed in Slack workspace ${teamId} (or its installation has no bot token); install it again`);
    return parsed.data.bot.token;
  };
}
