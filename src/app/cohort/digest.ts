// The weekly digest: top streaks, challenge results, the lesson of the week. Built once, posted by the
// weekly job or by `/cohort digest` on demand.
import { liveStreak } from '../../core/cohort-stats.js';
import { localDate } from '../../core/calendar.js';
import type { CourseIndex } from '../../core/course.js';
import { formatDeadline } from '../../core/deadlines.js';
import type { Button, Reply } from '../../core/reply.js';
import type { AppContext } from '../ports.js';
import type { DigestFacts } from './ports.js';
import { countsText, submitButton } from './views.js';

export const DIGEST_DAYS = 7;
const TOP_STREAKS = 5;
const MEDALS = ['🥇', '🥈', '🥉'];

export function digestReply(facts: DigestFacts, catalog: CourseIndex, now: Date, zone: string): Reply {
  const streaks = facts.streaks
    .map((s) => ({ name: s.name, days: liveStreak({ current: s.current, lastActive: s.lastActive }, localDate(now, s.timezone)) }))
    .filter((s) => s.days > 0)
    .sort((a, b) => b.days - a.days || a.name.localeCompare(b.name, 'en'))
    .slice(0, TOP_STREAKS)
    .map((s, i) => `${MEDALS[i] ?? '🔥'} ${s.name}: ${s.days} day${s.days === 1 ? '' : 's'}`);
  const ended = facts.challenges.filter((c) => c.dueAt.getTime() <= now.getTime());
  const open = facts.challenges.filter((c) => c.status === 'open' && c.dueAt.getTime() > now.getTime());
  const lesson = facts.lessons.map((l) => ({ ...l, lesson: catalog.lesson(l.lessonId) })).find((l) => l.lesson);
  const sections = [
    `**Top streaks**\n${streaks.length ? streaks.join('\n') : 'No streaks running: a finished quiz or logged practice starts one.'}`,
    ended.length ? `**Challenge results**\n${ended.map((c) => `#${c.id} ${c.title}: ${countsText(c)}`).join('\n')}` : '',
    open.length ? `**Open challenges**\n${open.map((c) => `#${c.id} ${c.title}: due ${formatDeadline(c.dueAt, zone)}, ${c.submitted} submitted`).join('\n')}` : '',
    lesson ? `**Lesson of the week**\n📘 ${lesson.lesson!.title}: finished by ${lesson.finished} learner${lesson.finished === 1 ? '' : 's'} this week.` : '',
  ].filter(Boolean);
  const buttons: Button[] = [...open.slice(0, 4).map((c) => ({ ...submitButton(c.id), label: `Submit #${c.id}` })), { action: { kind: 'run', verb: 'leaderboard' }, label: 'Leaderboard' }];
  return { title: `📰 This week in ${catalog.course.title}`, text: sections.join('\n\n'), actions: [buttons] };
}

/** The digest of the week up to `now`, from Postgres. */
export async function buildDigest(app: AppContext, communityId: number, zone: string): Promise<Reply> {
  const now = app.clock.now();
  const since = new Date(now.getTime() - DIGEST_DAYS * 24 * 3600_000);
  return digestReply(await app.stores.cohortReports.digestFacts(communityId, since, now), app.catalog, now, zone);
}
