/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html'
import type { FC } from 'hono/jsx'
import { AssurancePanel, SecondFactorPanel, SecondStepForm } from './second-factor.tsx'

/** Where the routes serve the page's own script and styles (CSP: 'self' only, nothing inline). */
export const DEMO_SCRIPT_PATH = '/demo/demo.js'
export const DEMO_STYLES_PATH = '/demo/demo.css'

/**
 * The demo page, rendered on the server and complete without script: every element the script
 * fills in is here, hidden until it knows whether a session lives.
 */
export const DemoPage: FC = () => (
  <>
    {raw('<!doctype html>')}
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* Under the worker's Referrer-Policy: no-referrer the Fetch standard sends `Origin: null`
          on a same-origin POST (Chromium sends the origin anyway), and cookie calls would fail
          ORIGIN_REJECTED; same-origin keeps this page's origin in them in every engine. */}
        <meta name="referrer" content="same-origin" />
        <title>Rotor demo</title>
        <link rel="stylesheet" href={DEMO_STYLES_PATH} />
        <script type="module" src={DEMO_SCRIPT_PATH} />
      </head>
      <body>
        <header>
          <h1>Rotor demo</h1>
          <p>
            The access token lives in this page’s memory for a few minutes; the refresh token in an
            HttpOnly cookie no script can read. Open a second tab: the tabs share one refresh.
          </p>
        </header>
        <main>
          <p id="status" role="status">
            Checking for a session…
          </p>
          <noscript>
            <p>This page needs JavaScript: the Rotor client runs in the browser.</p>
          </noscript>

          <section id="signed-out" aria-labelledby="auth-heading" hidden>
            <h2 id="auth-heading">Sign up or sign in</h2>
            {/* No action: the script sends it; CSP form-action 'none' stops a scriptless submit. */}
            <form id="auth-form" method="post">
              <label for="email">Email</label>
              <input id="email" name="email" type="email" autocomplete="username" required />
              <label for="password">Password</label>
              <input
                id="password"
                name="password"
                type="password"
                autocomplete="current-password"
                minlength={8}
                required
              />
              <label for="device-name">
                Device name <span class="hint">(optional, shown in the sessions list)</span>
              </label>
              <input id="device-name" name="deviceName" type="text" maxlength={100} />
              <div class="actions">
                <button type="submit" name="action" value="sign-in">
                  Sign in
                </button>
                <button type="submit" name="action" value="sign-up">
                  Sign up
                </button>
              </div>
            </form>
            <SecondStepForm />
            <p id="form-error" class="error" role="alert"></p>

            <details id="recovery">
              <summary>Forgot the password, or verify the address</summary>
              {/* Codes go out by mail; under `npm run dev` the outbox below shows them instead. */}
              <form id="recovery-form" method="post">
                <label for="recovery-email">Account address</label>
                <input id="recovery-email" type="email" autocomplete="username" required />
                <div class="actions">
                  <button type="submit" value="reset">
                    Send reset code
                  </button>
                  <button type="submit" value="verify">
                    Send verification code
                  </button>
                </div>
                <label for="recovery-code">Mailed code</label>
                <input
                  id="recovery-code"
                  inputmode="numeric"
                  autocomplete="one-time-code"
                  maxlength={8}
                />
                <label for="recovery-new">
                  New passphrase <span class="hint">(only to reset)</span>
                </label>
                <input
                  id="recovery-new"
                  type="password"
                  autocomplete="new-password"
                  minlength={8}
                />
                <div class="actions">
                  <button id="recovery-reset" type="button">
                    Set the new passphrase
                  </button>
                  <button id="recovery-verify" type="button">
                    Verify the address
                  </button>
                </div>
              </form>
              <p id="recovery-message" aria-live="polite"></p>
              <h3 id="outbox-heading">Development outbox</h3>
              <ol id="outbox" aria-labelledby="outbox-heading"></ol>
            </details>
          </section>

          <section id="signed-in" aria-labelledby="session-heading" hidden>
            <h2 id="session-heading">Your session</h2>
            <dl class="countdowns">
              <dt>Access token expires in</dt>
              <dd id="access-countdown">–</dd>
              <dt>Session idle deadline in</dt>
              <dd id="idle-countdown">–</dd>
              <dt>Session absolute deadline in</dt>
              <dd id="absolute-countdown">–</dd>
            </dl>
            <AssurancePanel />
            <figure class="timeline">
              <svg id="timeline" role="img" aria-label="Session timeline" />
              <figcaption>
                Bars: access tokens, each valid until its right end; dots: refreshes (filled: this
                tab, ringed: another tab, square: sign-in); the upright line is now. Session
                deadlines show at the right, or as dashed lines once they are near.
              </figcaption>
            </figure>
            <div class="actions">
              <button id="sign-out" type="button">
                Sign out
              </button>
              <button id="sign-out-everywhere" type="button">
                Sign out everywhere
              </button>
            </div>

            <h3 id="sessions-heading">Sessions</h3>
            <table aria-labelledby="sessions-heading">
              <thead>
                <tr>
                  <th scope="col">Device</th>
                  <th scope="col">Signed in</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span class="visually-hidden">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody id="sessions-body"></tbody>
            </table>
            <p class="actions">
              <button id="reload-sessions" type="button">
                Reload sessions
              </button>
              <span id="sessions-updated"></span>
            </p>

            <SecondFactorPanel />
          </section>

          <dialog id="confirm" aria-labelledby="confirm-text">
            <p id="confirm-text"></p>
            <div class="actions">
              <button id="confirm-no" type="button">
                Cancel
              </button>
              <button id="confirm-yes" type="button" class="danger">
                Sign out
              </button>
            </div>
          </dialog>

          <section aria-labelledby="log-heading">
            <h2 id="log-heading">Events</h2>
            <ol id="log" role="log"></ol>
          </section>
        </main>
      </body>
    </html>
  </>
)
