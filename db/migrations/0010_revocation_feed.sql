CREATE TABLE `revocation_feed` (
	`id` integer PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `sessions` ADD `status_idx` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_status_idx_unique` ON `sessions` (`status_idx`);--> statement-breakpoint
-- Sessions begun before the feed get an index of their own: rowids are unique now, and later
-- sessions take one more than the greatest index in use.
UPDATE `sessions` SET `status_idx` = `rowid` - 1;--> statement-breakpoint
INSERT INTO `revocation_feed` (`id`, `seq`) VALUES (1, 0);--> statement-breakpoint
-- Every path that revokes a session (sign-out, sign-out everywhere, reuse, password change or
-- reset) moves the feed's sequence number on in the statement that revokes: one row more per
-- revoked session, and the feed can never miss a revocation that another code path adds later.
CREATE TRIGGER `sessions_revoked_feed_seq` AFTER UPDATE OF `revoked_at` ON `sessions`
WHEN OLD.`revoked_at` IS NULL AND NEW.`revoked_at` IS NOT NULL
BEGIN
  UPDATE `revocation_feed` SET `seq` = `seq` + 1 WHERE `id` = 1;
END;
