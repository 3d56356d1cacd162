import type { AnswerRecord, Stores } from '../../app/ports.js';
import type { Db, Sql } from '../client.js';
import { coalesce } from '../coalesce.js';
import { activityDays } from './activity.js';
import { cardToJson } from './cards.js';

type RecordInput = Parameters<Stores['answers']['record']>[0];

type RecordRow = {
  verified: boolean;
  inserted: boolean;
  completed: boolean;
  prior: AnswerRecord[] | null;
  days: string[] | null;
};

// Answers given at the same moment share one statement (see coalesce.ts): one round trip, one commit.
// It is prepared, so it is planned once per connection; every table is reached per input row through a
// correlated subquery on an index, so the cached plan stays right however small the tables were then.
// CTEs see the snapshot before the statement, so `prior` excludes the answers it records. A learner's
// answers never run at once in a process (the coalesce key), so `prior` and the quiz's completion stay exact.
const RECORD = (client: Sql, rows: string) => client<(RecordRow & { n: number })[]>`
  with input as (
    select * from json_to_recordset(${rows}::text::json) as i(
      n int, delivery_id bigint, learner_id bigint, question_id text, choice int, correct boolean,
      answered_at timestamptz, local_date date, question_count int, due timestamptz, card jsonb,
      community_id bigint, external_id text, timezone text)
  ),
  checked as (
    -- With a community given, write only if the delivery's learner is still that person in that zone, and
    -- has no /learn forget waiting: the usual path answers them, and disarms it (app/commands/forget.ts).
    select i.*, exists (
      select 1 from learners l where l.id = i.learner_id
        and (i.community_id is null or (l.community_id = i.community_id and l.external_id = i.external_id and l.timezone = i.timezone
          and l.forget_armed_at is null))
    ) as verified
    from input i
  ),
  ins as (
    insert into answers (delivery_id, learner_id, question_id, choice, correct, answered_at, local_date)
    select delivery_id, learner_id, question_id, choice, correct, answered_at, local_date from checked where verified
    order by delivery_id -- the same order in every process, so two batches never wait on each other in a circle
    on conflict (delivery_id, question_id) do nothing
    returning delivery_id
  ),
  prior as (
    select i.delivery_id, p.answers, p.count from input i cross join lateral (
      select json_agg(json_build_object('questionId', a.question_id, 'choice', a.choice, 'correct', a.correct) order by a.id) as answers,
             count(*) as count
      from answers a where a.delivery_id = i.delivery_id
    ) p
  ),
  card as (
    insert into review_cards (learner_id, question_id, due, card, updated_at)
    select learner_id, question_id, due, card, answered_at from checked
    where card is not null and delivery_id in (select delivery_id from ins)
    order by learner_id
    on conflict (learner_id, question_id) do nothing
  ),
  finishing as (
    select c.delivery_id, c.local_date from checked c join prior p using (delivery_id)
    where c.delivery_id in (select delivery_id from ins) and p.count + 1 >= c.question_count
  ),
  done as (
    update deliveries d set quiz_completed_on = f.local_date from finishing f
    where d.id = f.delivery_id and d.quiz_completed_on is null
    returning d.id
  )
  select c.n, c.verified,
         c.delivery_id in (select delivery_id from ins) as inserted,
         c.delivery_id in (select id from done) as completed,
         p.answers as prior,
         -- The streak is recomputed when a quiz is done: its activity days come back in the same trip.
         case when c.delivery_id in (select id from done)
           then (select json_agg(day) from (${activityDays(client, client('c.learner_id'))}) days) end as days
  from checked c join prior p using (delivery_id)
  order by c.n`;

export function answerStore(db: Db): Stores['answers'] {
  // The hot path goes straight to postgres.js: no query building per answer.
  const client = db.$client;
  const recordAll = coalesce(
    async (inputs: RecordInput[]) => {
      const rows = inputs.map(({ delivery, questionId, choice, correct, at, localDate, questionCount, newCard, verify }, n) => ({
        n,
        delivery_id: delivery.id,
        learner_id: delivery.learnerId,
        question_id: questionId,
        choice,
        correct,
        answered_at: at.toISOString(),
        local_date: localDate,
        question_count: questionCount,
        due: newCard?.due.toISOString() ?? null,
        card: newCard ? cardToJson(newCard) : null,
        community_id: verify?.communityId ?? null,
        external_id: verify?.externalId ?? null,
        timezone: verify?.timezone ?? null,
      }));
      return RECORD(client, JSON.stringify(rows));
    },
    { key: (input) => input.delivery.learnerId },
  );
  return {
    async forDelivery(deliveryId) {
      return client<AnswerRecord[]>`
        select question_id as "questionId", choice, correct from answers where delivery_id = ${deliveryId} order by id`;
    },
    async record(input) {
      const { delivery, questionId, choice, correct, localDate, verify } = input;
      const row = await recordAll(input);
      if (!row.verified) {
        if (verify) return 'unverified';
        throw new Error(`learner ${delivery.learnerId} of delivery ${delivery.id} no longer exists`);
      }
      if (!row.inserted) return null;
      const answers = [...(row.prior ?? []), { questionId, choice, correct }];
      if (!row.completed) return { answers, completed: false };
      // The CTEs see the snapshot before this statement, so today's completion is added here.
      return { answers, completed: true, activityDates: [...new Set([...(row.days ?? []), localDate])] };
    },
  };
}
