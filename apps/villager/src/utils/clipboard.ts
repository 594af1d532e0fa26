/**
 * Copy text to the clipboard. The Clipboard API needs https and a recent WebView; older in-app
 * browsers (and pages over plain http on a village LAN) still honour the legacy copy command.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (window.isSecureContext && navigator.clipboard) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (no permission, not focused): fall back below.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  try {
    // Deprecated but the only way in older WebViews; the result says whether it worked.
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}
