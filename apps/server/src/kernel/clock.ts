/** Time source, replaceable in tests that need a fixed "now". */
export interface TClock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: TClock = { now: () => new Date() };
