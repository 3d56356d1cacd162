ALTER TABLE "deliveries" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "unsure_since" timestamp with time zone;--> statement-breakpoint
-- A pending delivery used to move the enrolment on before its send; now only a sent one does. Hand the
-- lessons of unsent days out again, in order, from the next tick on.
UPDATE "enrollments" e SET "position" = greatest(e."position" - p.n, 0), "finished_at" = NULL, "next_delivery_at" = coalesce(e."next_delivery_at", now())
FROM (SELECT "enrollment_id", count(*)::int AS n FROM "deliveries" WHERE "state" = 'pending' GROUP BY "enrollment_id") p
WHERE p."enrollment_id" = e."id";--> statement-breakpoint
UPDATE "deliveries" SET "state" = 'failed' WHERE "state" = 'pending';
