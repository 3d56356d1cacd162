CREATE TABLE "review_days" (
	"learner_id" bigint NOT NULL,
	"local_date" date NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "review_days_learner_id_local_date_pk" PRIMARY KEY("learner_id","local_date")
);
--> statement-breakpoint
ALTER TABLE "review_days" ADD CONSTRAINT "review_days_learner_id_learners_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."learners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Reviews done before this table existed: each card keeps its latest review, so those days count again.
-- A card with one rep was only ever rated by the quiz miss that created it, which is no review.
INSERT INTO "review_days" ("learner_id", "local_date", "created_at")
SELECT r."learner_id", ((r."card"->>'last_review')::timestamptz AT TIME ZONE l."timezone")::date, min((r."card"->>'last_review')::timestamptz)
FROM "review_cards" r JOIN "learners" l ON l."id" = r."learner_id"
WHERE (r."card"->>'reps')::int > 1 AND r."card"->>'last_review' IS NOT NULL
GROUP BY 1, 2
ON CONFLICT DO NOTHING;
