export { createRotorClient } from './create-rotor-client.ts'
export { bearerHeaders, createAuthLink } from './auth-link.ts'
export { createMemoryStorage } from './storage.ts'
export { isMfaRequired } from './second-factor.ts'
export type { RotorClient } from './create-rotor-client.ts'
export type { AppRouter } from '../worker/trpc/app-router.ts'
export type { RotorClientOptions } from './options.ts'
export type { AccessTokenSource, AuthLinkOptions } from './auth-link.ts'
export type { TokenStorage } from './storage.ts'
export type { AppLifecycle } from './lifecycle.ts'
export type { RetryPolicy } from './retry.ts'
export type { RecoveryMethods } from './recovery.ts'
export type {
  MfaRequired,
  SecondFactorMethods,
  SecondFactorResult,
  SignInResult,
} from './second-factor.ts'
export type { MfaChallenge, MfaMethod } from '../contract/index.ts'
export type { ChannelLike, CrossTabOptions, LockManagerLike } from './tab-sync.ts'
export type {
  ClockSkewEvent,
  Listener,
  RefreshEvent,
  RefreshOrigin,
  SessionExpiringEvent,
  StepUpRequiredEvent,
} from './events.ts'
export type { StepUpRequirement } from '../contract/index.ts'
export type {
  Delivery,
  ExchangeLegacyInput,
  FetchInit,
  FetchLike,
  LoginInput,
  Schedule,
  SessionAssurance,
  SessionSnapshot,
  SignedOutReason,
  SignInWithIdTokenInput,
  StepUpInput,
  TokenPair,
  VerifyMfaInput,
} from './types.ts'
