import type { AnswerRecord, Stores } from '../../app/ports.js';
import type { Db } from '../client.js';
import { activityDays } from './activity.js';
import { cardToJson } from './cards.js';

type RecordRow = {
  verified: boolean;
  inserted: boolean;
  completed: boolean;
  prior: AnswerRecord[] | null;
  days: string[] | null;
};

export function answerStore(db: Db): Stores['answers'] {
  // The hot path goes straight to postgres.js: no query building per answer.
  const client = db.$client;
  return {
    async forDelivery(deliveryId) {
      return client<AnswerRecord[]>`
        select question_id as "questionId", choice, correct from answers where delivery_id = ${deliveryId} order by id`;
    },
    async record({ delivery, questionId, choice, correct, at, localDate, questionCount, newCard, verify }) {
      // One statement, so one round trip and all-or-nothing: the answer, the card for a miss and the
      // quiz's completion day. CTEs see the snapshot before the insert, so `prior` excludes this answer.
      // With `verify`, nothing is written unless the delivery's learner is still that person in that zone.
      const card = newCard ? JSON.stringify(cardToJson(newCard)) : null;
      const [row] = await client<RecordRow[]>`
        with who as (
          select 1 from learners l
          where l.id = ${delivery.learnerId}
            and (${verify?.communityId ?? null}::bigint is null
              or (l.community_id = ${verify?.communityId ?? null} and l.external_id = ${verify?.externalId ?? null} and l.timezone = ${verify?.timezone ?? null}))
        ),
        ins as (
          insert into answers (delivery_id, learner_id, question_id, choice, correct, answered_at, local_date)
          select ${delivery.id}, ${delivery.learnerId}, ${questionId}, ${choice}, ${correct}, ${at.toISOString()}, ${localDate}
          where exists (select 1 from who)
          on conflict (delivery_id, question_id) do nothing
          returning id
        ),
        prior as (
          select question_id as "questionId", choice, correct from answers where delivery_id = ${delivery.id} order by id
        ),
        card as (
          insert into review_cards (learner_id, question_id, due, card, updated_at)
          select ${delivery.learnerId}, ${questionId}, ${newCard?.due.toISOString() ?? null}::timestamptz, ${card}::jsonb, ${at.toISOString()}
          where ${card}::jsonb is not null and exists (select 1 from ins)
          on conflict (learner_id, question_id) do nothing
        ),
        done as (
          update deliveries set quiz_completed_on = ${localDate}
          where id = ${delivery.id} and quiz_completed_on is null
            and exists (select 1 from ins) and (select count(*) from prior) + 1 >= ${questionCount}
          returning id
        )
        select exists (select 1 from who) as verified,
               exists (select 1 from ins) as inserted,
               exists (select 1 from done) as completed,
               (select json_agg(prior) from prior) as prior,
               -- The streak is recomputed when a quiz is done: its activity days come back in the same trip.
               case when exists (select 1 from done) then (select json_agg(day) from (${activityDays(client, delivery.learnerId)}) days) end as days`;
      if (!row?.verified) {
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
