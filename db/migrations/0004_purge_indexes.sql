CREATE INDEX `sessions_idle_expires_at_idx` ON `sessions` (`idle_expires_at`);--> statement-breakpoint
CREATE INDEX `sessions_revoked_at_idx` ON `sessions` (`revoked_at`);