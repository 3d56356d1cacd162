// Enterprise Grid for the fake Slack: an org-wide install has one bot token and bot user for every workspace
// it was granted. A call with that token acts in the workspace its team_id, channel or user is in; org-level
// calls (auth.test, auth.teams.list) answer for the org; anything else with no workspace is refused.
import type { FakeWorkspace } from './slack-server.js';

export interface FakeEnterprise {
  enterpriseId: string;
  name: string;
  botToken: string;
  botUserId: string;
  botId: string;
  /** The workspaces granted (auth.teams.list answers these). */
  teamIds: Set<string>;
}

interface FakeSlackState {
  workspaces: Map<string, FakeWorkspace>;
  channels: Map<string, { teamId: string }>;
  problems: string[];
}

export class FakeGrid {
  readonly enterprises = new Map<string, FakeEnterprise>();

  constructor(private readonly slack: FakeSlackState) {}

  add(enterpriseId: string, name: string, granted: FakeWorkspace[] = []): FakeEnterprise {
    const enterprise: FakeEnterprise = {
      enterpriseId,
      name,
      botToken: `xoxb-${enterpriseId}-fake-org-bot-token`,
      botUserId: `U0BOT${enterpriseId}`,
      botId: `B0BOT${enterpriseId}`,
      teamIds: new Set(),
    };
    this.enterprises.set(enterpriseId, enterprise);
    for (const workspace of granted) this.grant(enterprise, workspace);
    return enterprise;
  }

  /** An org admin adds a workspace to the org install: the org's token and bot user now act there. */
  grant(enterprise: FakeEnterprise, workspace: FakeWorkspace): void {
    Object.assign(workspace, { enterpriseId: enterprise.enterpriseId, botToken: enterprise.botToken, botUserId: enterprise.botUserId, botId: enterprise.botId });
    enterprise.teamIds.add(workspace.teamId);
  }

  byToken(token: string | null): FakeEnterprise | null {
    return [...this.enterprises.values()].find((e) => e.botToken === token) ?? null;
  }

  /** The granted workspace an org-token call acts in: named by team_id, or holding its channel or user. */
  workspaceFor(enterprise: FakeEnterprise, args: Record<string, unknown>): FakeWorkspace | null {
    const granted = [...enterprise.teamIds].map((id) => this.slack.workspaces.get(id)!);
    if (typeof args.team_id === 'string') return granted.find((w) => w.teamId === args.team_id) ?? null;
    const channel = this.slack.channels.get(String(args.channel ?? args.channel_id ?? ''));
    if (channel) return granted.find((w) => w.teamId === channel.teamId) ?? null;
    const user = String(args.users ?? args.user ?? '');
    return granted.find((w) => w.users.has(user)) ?? null;
  }

  /** Org-level calls, and calls that reach no granted workspace. */
  api(method: string, enterprise: FakeEnterprise): Record<string, unknown> {
    const { enterpriseId, name } = enterprise;
    if (method === 'auth.test') {
      return { ok: true, url: `https://${enterpriseId.toLowerCase()}.enterprise.slack.com/`, team: name, user: 'backend-mentor', team_id: enterpriseId, user_id: enterprise.botUserId, bot_id: enterprise.botId, enterprise_id: enterpriseId, is_enterprise_install: true };
    }
    if (method === 'auth.teams.list') {
      return { ok: true, teams: [...enterprise.teamIds].map((id) => ({ id, name: this.slack.workspaces.get(id)!.domain })), response_metadata: { next_cursor: '' } };
    }
    if (method === 'conversations.open' || method === 'users.info') return { ok: false, error: 'user_not_found' };
    if (method === 'chat.postMessage' || method === 'conversations.history') return { ok: false, error: 'channel_not_found' };
    // Workspace-wide methods (usergroups.list, conversations.list, ...) need a team_id with an org token.
    this.slack.problems.push(`${method}: an org-wide token needs a team_id`);
    return { ok: false, error: 'missing_argument' };
  }

  /** oauth.v2.access for an org-wide install: no team, the enterprise, the org's token. */
  access(enterpriseId: string, scope: string, appId: string): Record<string, unknown> {
    const org = this.enterprises.get(enterpriseId)!;
    const installer = [...org.teamIds].flatMap((id) => [...this.slack.workspaces.get(id)!.users.keys()])[0] ?? 'U0INSTALLER';
    return {
      ok: true,
      app_id: appId,
      authed_user: { id: installer },
      scope,
      token_type: 'bot',
      access_token: org.botToken,
      bot_user_id: org.botUserId,
      team: null,
      enterprise: { id: org.enterpriseId, name: org.name },
      is_enterprise_install: true,
    };
  }
}
