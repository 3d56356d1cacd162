import { eq } from 'drizzle-orm';
import type { AnswerRecord, Delivery, DeliveryState, Enrollment, Stores } from '../../app/ports.js';
import { perInput } from '../batch.js';
import type { Db } from '../client.js';
import { coalesce } from '../coalesce.js';
import { enrollments } from '../schema.js';

type Row = Omit<Enrollment, 'nextDeliveryAt' | 'startedAt' | 'finishedAt'> & Record<'nextDeliveryAt' | 'startedAt' | 'finishedAt', string | null>;

// postgres.js hands timestamps over as text here.
const date = (v: string | null) => (v === null ? null : new Date(v));
const toEnrollment = (row: Row): Enrollment => ({
  id: row.id,
  learnerId: row.learnerId,
  courseId: row.courseId,
  position: row.position,
  nextDeliveryAt: date(row.nextDeliveryAt),
  startedAt: new Date(row.startedAt!),
  finishedAt: date(row.finishedAt),
});

export function enrollmentStore(db: Db): Stores['enrollments'] {
  // On most requests: straight to postgres.js, no query building.
  const client = db.$client;
  const columns = client`
    e.id, e.learner_id as "learnerId", e.course_id as "courseId", e.position,
    e.next_delivery_at as "nextDeliveryAt", e.started_at as "startedAt", e.finished_at as "finishedAt"`;
  // Asked by every `/learn today` and `/learn quiz`: the days asked for at the same moment are read in one
  // statement (see batch.ts), each with its delivery and the answers given to it so far.
  type TodayRow = Row & { n: number; delivery: (Delivery & { state: DeliveryState }) | null; answers: AnswerRecord[] | null };
  const todayAll = coalesce(async (keys: { learnerId: number; courseId: string; localDate: string }[]) => {
    const input = keys.map((k, n) => ({ n, learner_id: k.learnerId, course_id: k.courseId, local_date: k.localDate }));
    const rows = await client<TodayRow[]>`
      select i.n, t.* from json_to_recordset(${JSON.stringify(input)}::text::json) as i(n int, learner_id bigint, course_id text, local_date date)
      cross join lateral (
        select ${columns},
          case when d.id is null then null else json_build_object(
            'id', d.id, 'enrollmentId', d.enrollment_id, 'learnerId', d.learner_id, 'localDate', d.local_date, 'lessonId', d.lesson_id, 'state', d.state) end as delivery,
          (select json_agg(json_build_object('questionId', a.question_id, 'choice', a.choice, 'correct', a.correct) order by a.id)
            from answers a where a.delivery_id = d.id) as answers
        from enrollments e
        -- The day's row, or a lesson already sent for a later local date (the learner moved west).
        left join lateral (
          select * from deliveries d
          where d.enrollment_id = e.id and d.local_date >= i.local_date and (d.local_date = i.local_date or d.state = 'sent')
          order by d.local_date = i.local_date desc, d.local_date desc limit 1
        ) d on true
        where e.learner_id = i.learner_id and e.course_id = i.course_id
        limit 1
      ) t`;
    return perInput(rows, keys.length).map((row) => row && { enrollment: toEnrollment(row), delivery: row.delivery, answers: row.answers ?? [] });
  });
  return {
    async find(learnerId, courseId): Promise<Enrollment | null> {
      const [row] = await client<Row[]>`select ${columns} from enrollments e where e.learner_id = ${learnerId} and e.course_id = ${courseId}`;
      return row ? toEnrollment(row) : null;
    },
    today: (learnerId, courseId, localDate) => todayAll({ learnerId, courseId, localDate }),
    async create(learnerId, courseId, nextDeliveryAt, startedAt) {
      const [row] = await db
        .insert(enrollments)
        .values({ learnerId, courseId, nextDeliveryAt, startedAt })
        .onConflictDoUpdate({ target: [enrollments.learnerId, enrollments.courseId], set: { learnerId } })
        .returning();
      return row!;
    },
    async setNextDelivery(enrollmentId, nextDeliveryAt) {
      await db.update(enrollments).set({ nextDeliveryAt }).where(eq(enrollments.id, enrollmentId));
    },
  };
}
