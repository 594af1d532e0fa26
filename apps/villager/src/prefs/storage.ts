/** localStorage access that never throws (some in-app browsers block storage in private modes). */

/** Read a stored preference, or null when absent or unavailable. */
export function readStored(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Store a value; returns false (and otherwise ignores it) when storage is unavailable or full. */
export function writeStored(key: string, value: string): boolean {
  try {
    window.localStorage.setItem(key, value);
    return true;
  } catch {
    // A display preference then lasts for this visit only, which is acceptable.
    return false;
  }
}

/** Forget a stored value; silently ignored when storage is unavailable. */
export function removeStored(key: string): void {
  try {
    window.localStorage.removeItem(key);
  } catch {
    // Nothing was stored then either.
  }
}
