ALTER TABLE `audit_events` ADD `country` text;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `detail` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `country` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `flagged_at` integer;--> statement-breakpoint
ALTER TABLE `sessions` ADD `flag_reason` text;