ALTER TABLE `sessions` ADD `refresh_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `refresh_window_start` integer DEFAULT 0 NOT NULL;