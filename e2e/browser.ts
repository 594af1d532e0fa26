import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where journeys save their screenshots (looked at before work is called done). */
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, 'screenshots');

/** Debian's Chromium with the flags this machine needs; never a downloaded browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Save a full-page screenshot under e2e/screenshots/NAME.png. */
export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** The newest one-time code the server logged for a phone (masked as 138****1306 in the log). */
export async function readOtpFromLog(logFile: string, phone: string, timeoutMs = 10_000): Promise<string> {
  const masked = `${phone.slice(0, 3)}****${phone.slice(7)}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const lines = readFileSync(logFile, 'utf8').split('\n').filter((l) => l.includes(masked) && l.includes('验证码'));
    const last = lines[lines.length - 1];
    const code = last ? /验证码是 (\d{6})/.exec(last)?.[1] : undefined;
    if (code) return code;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no code for ${masked} in ${logFile}`);
}

/** Log a villager in through the app's login page with the code the server logged. */
export async function loginVillagerInApp(page: Page, baseUrl: string, logFile: string, phone: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name="phone"]', phone);
  await page.click('button.login__send');
  const code = await readOtpFromLog(logFile, phone);
  await page.fill('input[name="code"]', code);
  await page.locator('form.login__form button[type="submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Log an official in through the console's login page. */
export async function loginOfficialInConsole(page: Page, baseUrl: string, login: string, password = 'Demo@2026'): Promise<void> {
  await page.goto(`${baseUrl}/console/login`);
  await page.fill('input[autocomplete="username"]', login);
  await page.fill('input[autocomplete="current-password"]', password);
  await page.click('button.login-submit');
  await page.waitForURL((url) => !url.pathname.includes('/login'));
}

/** A bearer token for API calls a journey makes besides the browser. */
export async function apiLogin(baseUrl: string, login: string, password = 'Demo@2026'): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password }) });
  if (!response.ok) throw new Error(`login ${login}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}
