import { eq } from 'drizzle-orm';
import type { AnswerRecord, Delivery, Enrollment, Stores } from '../../app/ports.js';
import type { Db } from '../client.js';
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
  return {
    async find(learnerId, courseId): Promise<Enrollment | null> {
      const [row] = await client<Row[]>`select ${columns} from enrollments e where e.learner_id = ${learnerId} and e.course_id = ${courseId}`;
      return row ? toEnrollment(row) : null;
    },
    async today(learnerId, courseId, localDate) {
      type TodayRow = Row & { delivery: Delivery | null; answers: AnswerRecord[] | null };
      const [row] = await client<TodayRow[]>`
        select ${columns},
          case when d.id is null then null else json_build_object(
            'id', d.id, 'enrollmentId', d.enrollment_id, 'learnerId', d.learner_id, 'localDate', d.local_date, 'lessonId', d.lesson_id) end as delivery,
          (select json_agg(json_build_object('questionId', a.question_id, 'choice', a.choice, 'correct', a.correct) order by a.id)
            from answers a where a.delivery_id = d.id) as answers
        from enrollments e left join deliveries d on d.enrollment_id = e.id and d.local_date = ${localDate}
        where e.learner_id = ${learnerId} and e.course_id = ${courseId}`;
      if (!row) return null;
      return { enrollment: toEnrollment(row), delivery: row.delivery, answers: row.answers ?? [] };
    },
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
