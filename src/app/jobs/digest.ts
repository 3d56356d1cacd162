// The weekly digest job: once per community and week (claimed in Postgres), in the cohort channel.
import { digestWeekDue } from '../../core/digest.js';
import { buildDigest } from '../cohort/digest.js';
import type { CohortJob } from '../ports.js';
import type { JobContext } from './context.js';
import { PermanentJobError } from './errors.js';

export async function sendDigest(ctx: JobContext, job: Extract<CohortJob, { type: 'digest' }>): Promise<'no-channel' | 'stale' | 'already-sent' | 'sent'> {
  const { app } = ctx;
  const store = app.stores.cohortJobs;
  const community = await store.community(job.communityId);
  const channel = community?.settings.cohortChannelId;
  if (!community || !channel) return 'no-channel';
  const zone = community.settings.timezone ?? app.defaults.timezone;
  if (digestWeekDue(app.clock.now(), zone) !== job.week) return 'stale';
  const messenger = ctx.messengers[community.platform];
  if (!messenger) throw new PermanentJobError(`no ${community.platform} connection in this process to post the digest of community ${community.id}`);
  if (!(await store.claimDigest(community.id, job.week))) return 'already-sent';
  const reply = await buildDigest(app, community.id, zone);
  await messenger.sendToChannel(community.externalId, channel, reply, `digest:${community.id}:${job.week}`);
  await store.markDigestSent(community.id, job.week, app.clock.now());
  return 'sent';
}
