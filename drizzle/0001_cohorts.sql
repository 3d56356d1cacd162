CREATE TABLE "challenge_reminders" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "challenge_reminders_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"challenge_id" bigint NOT NULL,
	"learner_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "digests" (
	"community_id" bigint NOT NULL,
	"week" date NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "digests_community_id_week_pk" PRIMARY KEY("community_id","week")
);
--> statement-breakpoint
ALTER TABLE "challenges" ADD COLUMN "due_set_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "challenges" ADD COLUMN "summary_sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "notified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "challenge_reminders" ADD CONSTRAINT "challenge_reminders_challenge_id_challenges_id_fk" FOREIGN KEY ("challenge_id") REFERENCES "public"."challenges"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "challenge_reminders" ADD CONSTRAINT "challenge_reminders_learner_id_learners_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."learners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "digests" ADD CONSTRAINT "digests_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "challenge_reminders_once" ON "challenge_reminders" USING btree ("challenge_id","learner_id","kind","due_at");--> statement-breakpoint
CREATE INDEX "challenges_open_due" ON "challenges" USING btree ("due_at") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "reviews_submission" ON "reviews" USING btree ("submission_id");--> statement-breakpoint
CREATE INDEX "reviews_unnotified" ON "reviews" USING btree ("created_at") WHERE notified_at is null;--> statement-breakpoint
CREATE INDEX "submissions_learner" ON "submissions" USING btree ("learner_id");