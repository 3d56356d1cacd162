// The Slack connection main.ts starts: a Bolt App in Socket Mode (default, no public URL) or HTTP mode
// (signed requests on PORT), with one bot token or OAuth installs kept in Postgres.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, webApi, type AppOptions } from '@slack/bolt';
import type { Inbound } from '../../app/inbound.js';
import type { Clock, Installations, Log, PlatformAdapter } from '../../app/ports.js';
import type { Reply } from '../../core/reply.js';
import { boltLogger } from './bolt-logger.js';
import { registerHandlers } from './handlers.js';
import { orgTeams, registerInstallEvents } from './install-events.js';
import { botTokenSource, slackInstallationStore } from './installation-store.js';
import { createSlackMessenger } from './messenger.js';
import { RecentRequests } from './recent-requests.js';
import { guardedReceiver } from './request-guard.js';
import { BOT_SCOPES } from './scopes.js';
import { groupLookup, profileLookup } from './users.js';

/** The Slack part of the configuration (config.ts's SlackConfig; platforms do not import config.ts). */
export interface SlackConfig {
  transport: 'socket' | 'http';
  botToken?: string;
  appToken?: string;
  signingSecret?: string;
  /** installationKey seals each workspace's installation (its bot token) at rest; main.ts gives it to the store. */
  oauth?: { clientId: string; clientSecret: string; stateSecret: string; installationKey?: Buffer };
  apiUrl?: string;
  port: number;
}

export interface SlackAdapterOptions {
  config: SlackConfig;
  handle: (inbound: Inbound) => Promise<Reply>;
  installations: Installations;
  log: Log;
  /** Web API retry policy. Default: the client's ten retries in about thirty minutes; tests pass { retries: 0 }. */
  retryConfig?: webApi.RetryOptions;
  /** Interface the HTTP server listens on (HTTP mode); default: all. */
  host?: string;
  /** The clock request timestamps are held to (HTTP mode: within 5 minutes of it); default: the system's. */
  clock?: Clock;
}

export interface SlackAdapter extends PlatformAdapter {
  /** Where the HTTP server listens once started (HTTP mode), for health checks and tests. */
  address(): AddressInfo | null;
}

/** GovSlack and proxies serve the browser's OAuth page next to their API (https://slack-gov.com/oauth/v2/authorize). */
const authorizationUrlFor = (apiUrl: string | undefined) => (apiUrl ? new URL('/oauth/v2/authorize', apiUrl).href : undefined);

export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { config, handle, installations, log } = options;
  if (config.transport === 'socket' && !config.appToken) throw new Error('Socket Mode needs SLACK_APP_TOKEN');
  if (config.transport === 'http' && !config.signingSecret) throw new Error('HTTP mode needs SLACK_SIGNING_SECRET');
  if (config.oauth && config.botToken) log.warn({ platform: 'slack' }, 'SLACK_BOT_TOKEN is ignored: OAuth installs provide a token per workspace');

  const clientOptions: webApi.WebClientOptions = {
    retryConfig: options.retryConfig ?? webApi.retryPolicies.tenRetriesInAboutThirtyMinutes,
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
  };
  const logger = boltLogger(log);
  // `app` is defined below; the store only lists an org install's workspaces once installs arrive.
  const store = config.oauth ? slackInstallationStore(installations, log, { teamsOf: (token) => orgTeams(app.client, token) }) : undefined;
  const authorizationUrl = authorizationUrlFor(config.apiUrl);
  const oauth: Partial<AppOptions> | undefined = config.oauth
    ? {
        clientId: config.oauth.clientId,
        clientSecret: config.oauth.clientSecret,
        stateSecret: config.oauth.stateSecret,
        scopes: [...BOT_SCOPES],
        installationStore: store,
        installerOptions: {
          ...(authorizationUrl ? { authorizationUrl } : {}),
          // In Socket Mode, Bolt serves /slack/install and /slack/oauth_redirect on this port.
          ...(config.transport === 'socket' ? { port: config.port } : {}),
        },
      }
    : undefined;
  // HTTP mode builds Bolt's receiver here to put the request guard in front of it; the receiver then also
  // serves the OAuth pages, so it takes the OAuth options (and the API client options App would add).
  const transport: Partial<AppOptions> =
    config.transport === 'socket'
      ? { socketMode: true, appToken: config.appToken, ...oauth }
      : {
          receiver: guardedReceiver(
            {
              signingSecret: config.signingSecret!,
              logger,
              ...(oauth ? { ...oauth, installerOptions: { ...oauth.installerOptions, clientOptions } } : {}),
            },
            { clock: options.clock ?? { now: () => new Date() }, log, seen: new RecentRequests() },
          ),
        };

  const app: App = new App({
    ...transport,
    ...(oauth ? {} : { token: config.botToken }),
    logger,
    clientOptions,
    convoStore: false,
    // init() runs in start(), so a bad token fails start() instead of an unhandled rejection.
    deferInitialization: true,
  });

  registerHandlers(app, {
    handle,
    log,
    profiles: profileLookup(log),
    groups: groupLookup(log),
    fetch: (...args) => globalThis.fetch(...args),
  });
  if (store) registerInstallEvents(app, store, log);

  const messenger = createSlackMessenger({
    client: app.client,
    // No retries but 429s, which the messenger waits out itself: a lost answer must not mean a second post.
    poster: new webApi.WebClient(undefined, { ...clientOptions, logger, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true }),
    tokenFor: botTokenSource({ botToken: config.botToken, installations: config.oauth ? installations : undefined }),
    log,
  });

  let server: Server | null = null;
  return {
    platform: 'slack',
    messenger,
    async start() {
      await app.init();
      if (config.transport === 'http') {
        server = (await app.start({ port: config.port, ...(options.host ? { host: options.host } : {}) })) as Server;
      } else {
        await app.start();
      }
      log.info({ platform: 'slack', transport: config.transport, oauth: Boolean(config.oauth) }, 'slack connected');
    },
    async stop() {
      await app.stop();
      server = null;
    },
    address() {
      const address = server?.address();
      return address && typeof address === 'object' ? address : null;
    },
  };
}
