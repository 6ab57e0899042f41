ALTER TABLE "users" ADD COLUMN "external_id" text;
--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_external_id_unique" UNIQUE("external_id");
