CREATE TABLE `legacy_usage` (
	`day` text NOT NULL,
	`user_agent` text NOT NULL,
	`app_version` text NOT NULL,
	`user_id` text NOT NULL,
	`uses` integer NOT NULL,
	`rejected` integer NOT NULL,
	`exchanges` integer NOT NULL,
	`first_at` integer NOT NULL,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`day`, `user_agent`, `app_version`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `legacy_usage_user_id_idx` ON `legacy_usage` (`user_id`);