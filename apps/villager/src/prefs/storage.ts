/** localStorage access that never throws (some in-app browsers block storage in private modes). */

/** Read a stored preference, or null when absent or unavailable. */
export function readStored(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Store a preference; silently ignored when storage is unavailable. */
export function writeStored(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // The choice then lasts for this visit only, which is acceptable for a display preference.
  }
}
