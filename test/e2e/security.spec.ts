// The built app's Content-Security-Policy (build/csp.ts): present, and enforced. (Every test
// that opens pages with `newPeer` fails on any violation: support/peers.ts.)
import { appUrl, expect, test } from './support/peers.ts';

test('the built app carries a strict Content-Security-Policy, and it refuses an inline script', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const violations: string[] = [];
  await page.exposeFunction('cspViolation', (directive: string) => {
    violations.push(directive);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      void (window as unknown as { cspViolation(d: string): Promise<void> }).cspViolation(
        event.effectiveDirective,
      );
    });
  });
  await page.goto(appUrl());
  const policy = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  expect(policy).toContain("script-src 'self'");
  expect(policy).toContain("object-src 'none'");
  expect(policy).not.toContain('unsafe-inline');
  expect(policy).not.toContain('unsafe-eval');
  // The app itself loaded under it without a violation.
  await expect(page.locator('shoal-app')).toBeAttached();
  expect(violations).toEqual([]);
  // A script injected inline does not run, and is reported.
  const ran = await page.evaluate(() => {
    const script = document.createElement('script');
    try {
      // Trusted Types refuse the string first (there is no policy for script text).
      script.textContent = 'window.injected = true';
      document.head.append(script);
    } catch {
      return false;
    }
    return (window as unknown as { injected?: boolean }).injected === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => violations).toContain('require-trusted-types-for');
  await context.close();
});

test('Trusted Types: no HTML string reaches the DOM, and only the app’s own scripts load', async ({
  browser,
}) => {
  // Not a `newPeer` page: the refusals this test provokes are violations that fixture counts.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(appUrl());
  const policy = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  expect(policy).toContain("require-trusted-types-for 'script'");
  // The app runs under it: its service worker registered, its storage worker answers.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const refused = await page.evaluate(() => {
    const tries: Record<string, () => unknown> = {
      'innerHTML with a string': () => {
        document.createElement('div').innerHTML = '<img src=x onerror="window.pwned=1">';
      },
      'a worker from another origin': () => new Worker('http://example.invalid/evil.js'),
    };
    return Object.entries(tries)
      .filter(([, attempt]) => {
        try {
          attempt();
          return false;
        } catch {
          return true;
        }
      })
      .map(([what]) => what);
  });
  expect(refused).toEqual(['innerHTML with a string', 'a worker from another origin']);
  const made = await page.evaluate(() => {
    const own = new Worker(new URL('/sw.js', location.href), { type: 'module' });
    own.terminate();
    return true;
  });
  expect(made).toBe(true);
  await context.close();
});
