/** A key's phase: published before it signs, signing, then published until its tokens expire. */
export const KEY_STATUSES = ['next', 'current', 'retiring'] as const
export type KeyStatus = (typeof KEY_STATUSES)[number]

/** How long verifiers cache the JWKS (`Cache-Control: max-age`), in seconds. */
export const JWKS_MAX_AGE = 300

/** A next key is published this long before it may sign (DESIGN §9), in seconds. */
export const PUBLISH_LEAD = 900
