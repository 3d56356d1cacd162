// Events that change what is installed (OAuth only): an uninstall or revoked bot token forgets the
// installation serving the event (an org-wide one for org events, which may name no team), and an org
// install gaining or losing workspaces updates which workspaces it serves.
import type { App, Context, webApi } from '@slack/bolt';
import type { Log } from '../../app/ports.js';
import { describeError } from './errors.js';
import type { SlackInstallationStore } from './installation-store.js';

/** The workspaces an org-wide token serves, every page of auth.teams.list. */
export async function orgTeams(client: webApi.WebClient, token: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.auth.teams.list({ token, limit: 1000, ...(cursor ? { cursor } : {}) });
    ids.push(...(page.teams ?? []).flatMap((t) => (t.id ? [t.id] : [])));
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return ids;
}

const queryOf = (context: Context) => ({ teamId: context.teamId, enterpriseId: context.enterpriseId, isEnterpriseInstall: context.isEnterpriseInstall });

export function registerInstallEvents(app: App, store: SlackInstallationStore, log: Log): void {
  async function guard(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      log.error({ platform: 'slack', what, ...describeError(error) }, 'slack request failed');
    }
  }

  app.event('app_uninstalled', async ({ context }) => {
    await guard('app_uninstalled', () => store.deleteInstallation(queryOf(context)));
  });

  app.event('tokens_revoked', async ({ event, context }) => {
    // Only bot tokens are stored; revoked user tokens change nothing here.
    if (event.tokens.bot?.length) await guard('tokens_revoked', () => store.deleteInstallation(queryOf(context)));
  });

  app.event('team_access_granted', async ({ event, context }) => {
    const { enterpriseId } = context;
    if (enterpriseId) await guard('team_access_granted', () => store.grantTeams(enterpriseId, event.team_ids));
  });

  app.event('team_access_revoked', async ({ event }) => {
    await guard('team_access_revoked', () => store.revokeTeams(event.team_ids));
  });
}
