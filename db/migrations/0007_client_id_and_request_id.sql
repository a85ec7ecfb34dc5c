ALTER TABLE `audit_events` ADD `request_id` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `client_id` text;