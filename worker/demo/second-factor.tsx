/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx'

/** The second step of a sign-in, shown in place of the sign-in form when the issuer asks for it. */
export const SecondStepForm: FC = () => (
  <form id="mfa-step-form" method="post" hidden>
    <h3>Second step</h3>
    <p id="mfa-step-hint">
      Enter the code your authenticator app shows, or one of your recovery codes.
    </p>
    <label for="mfa-step-code">Code or recovery code</label>
    <input
      id="mfa-step-code"
      autocomplete="one-time-code"
      autocapitalize="off"
      spellcheck={false}
      maxlength={40}
      required
    />
    <div class="actions">
      <button type="submit">Verify</button>
      <button id="mfa-step-cancel" type="button">
        Cancel
      </button>
    </div>
  </form>
)

/** How the session was signed in (the access token's `amr`, `acr`, `auth_time`). */
export const AssurancePanel: FC = () => (
  <dl class="countdowns" id="assurance">
    <dt>Signed in with (amr)</dt>
    <dd id="assurance-amr">–</dd>
    <dt>Assurance level (acr)</dt>
    <dd id="assurance-acr">–</dd>
    <dt>Last authenticated (auth_time)</dt>
    <dd id="assurance-auth-time">–</dd>
  </dl>
)

/** Enrolling an authenticator app, its recovery codes (shown once), and step-up. */
export const SecondFactorPanel: FC = () => (
  <section id="mfa" aria-labelledby="mfa-heading">
    <h3 id="mfa-heading">Second factor</h3>
    <p id="mfa-status" aria-live="polite">
      …
    </p>

    <form id="mfa-enroll-form" method="post" hidden>
      <label for="mfa-password">Your passphrase, to add an authenticator app</label>
      <input
        id="mfa-password"
        type="password"
        autocomplete="current-password"
        minlength={8}
        required
      />
      <div class="actions">
        <button type="submit">Add an authenticator app</button>
      </div>
    </form>

    <div id="mfa-enrolment" hidden>
      <p>Scan this code with an authenticator app, then enter the code it shows.</p>
      <figure id="mfa-qr" class="qr" aria-label="QR code of the authenticator key"></figure>
      <p>
        Or type the key in: <code id="mfa-secret"></code>
      </p>
      <details>
        <summary>The otpauth URI</summary>
        <code id="mfa-uri"></code>
      </details>
      <form id="mfa-confirm-form" method="post">
        <label for="mfa-confirm-code">Code from the app</label>
        <input
          id="mfa-confirm-code"
          inputmode="numeric"
          autocomplete="one-time-code"
          maxlength={6}
          required
        />
        <div class="actions">
          <button type="submit">Confirm</button>
        </div>
      </form>
    </div>

    <div id="mfa-recovery" hidden>
      <p>
        <strong>Your recovery codes, shown this once.</strong> Keep them somewhere safe: each signs
        you in one time without the app.
      </p>
      <ol id="mfa-recovery-codes" class="codes"></ol>
      <div class="actions">
        <button id="mfa-recovery-done" type="button">
          I have saved them
        </button>
      </div>
    </div>

    <form id="mfa-step-up-form" method="post" hidden>
      <label for="mfa-step-up-code">Code, to prove the second factor again (step-up)</label>
      <input id="mfa-step-up-code" autocomplete="one-time-code" maxlength={40} required />
      <div class="actions">
        <button type="submit">Step up</button>
      </div>
    </form>
    <p id="mfa-message" class="error" aria-live="polite"></p>
  </section>
)
