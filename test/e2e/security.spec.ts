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
    script.textContent = 'window.injected = true';
    document.head.append(script);
    return (window as unknown as { injected?: boolean }).injected === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => violations).toContain('script-src-elem');
  await context.close();
});
