import { browser, type Browser } from 'wxt/browser';

/** Opens the welcome page (sign-in and the privacy overview) once, on first install. */
export async function openWelcomeOnInstall(details: Browser.runtime.InstalledDetails): Promise<void> {
  if (details.reason !== 'install') return;
  await browser.tabs.create({ url: browser.runtime.getURL('/welcome.html') });
}
