/**
 * The only fixed waits in the tests, each with its reason.
 *
 * A test waits for the condition it needs: `expect.poll(...)`, `vi.waitFor(...)`, Playwright's
 * `expect(locator)`, or an event. Letting a fixed time pass is right only where time itself is the
 * subject: to show that something does NOT happen within a while (no key reaches the screen after
 * take back control, no frame is sent while idle), or to wait out a delay the code under test asked
 * for (a back-off's retryAfterMs). `tests/support/no-sleeps.test.ts` refuses any other fixed wait.
 */

/** Lets `ms` pass on purpose; `why` says what the time is for (it is kept in the failure of a test that hangs here). */
export async function holdStill(ms: number, why: string): Promise<void> {
  if (!why.trim()) throw new TypeError('holdStill needs a reason');
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Shows that nothing happens for `ms`: `check` (expect calls) holds right away, at every look
 * during the window (every `everyMs`), and at its end. `what` names what stays unchanged, e.g.
 * 'keys typed after take back control do not reach the screen'; a failure names it.
 */
export async function expectNothingFor(ms: number, what: string, check: () => void | Promise<void>, everyMs = 100): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      await check();
    } catch (err) {
      const at = ms - Math.max(0, end - Date.now());
      throw new Error(`something happened ${at} ms into the ${ms} ms watch that ${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const left = end - Date.now();
    if (left <= 0) return;
    await holdStill(Math.min(everyMs, left), `watching that ${what}`);
  }
}
