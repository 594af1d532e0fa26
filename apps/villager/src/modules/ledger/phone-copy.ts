/**
 * The phone's own copy of the ledger (本机副本): the verifier key seen the first time (trust on first
 * use) and the last checkpoint this phone verified. Later visits check the server's new checkpoint
 * against them, so a rewritten or shortened ledger is noticed even if the server is the one lying.
 */
import { readStored, removeStored, writeStored } from '@/prefs/storage';

const KEY_STORAGE = 'villager.ledger.verifierKey';
const CHECKPOINT_STORAGE = 'villager.ledger.checkpoint';
const SAVED_AT_STORAGE = 'villager.ledger.savedAt';

/** A checkpoint note as this phone stored it. */
export interface TSavedCheckpoint {
  note: string;
  /** When the phone saved it (ISO), if recorded. */
  savedAt: string | null;
}

/** The verifier key this phone trusted the first time, or null before the first visit. */
export function readPinnedKey(): string | null {
  return readStored(KEY_STORAGE);
}

/** Trust this verifier key from now on; false when the phone cannot store it. */
export function pinKey(verifierKey: string): boolean {
  return writeStored(KEY_STORAGE, verifierKey);
}

/** The last checkpoint note this phone verified, or null. */
export function readSavedCheckpoint(): TSavedCheckpoint | null {
  const note = readStored(CHECKPOINT_STORAGE);
  return note === null ? null : { note, savedAt: readStored(SAVED_AT_STORAGE) };
}

/** Keep a verified checkpoint note as the phone's copy; false when the phone cannot store it. */
export function saveCheckpoint(note: string, now: Date = new Date()): boolean {
  const isSaved = writeStored(CHECKPOINT_STORAGE, note);
  if (isSaved) writeStored(SAVED_AT_STORAGE, now.toISOString());
  return isSaved;
}

/** Forget the pinned key and the saved checkpoint (the villager starts over, after asking around). */
export function clearPhoneCopy(): void {
  removeStored(KEY_STORAGE);
  removeStored(CHECKPOINT_STORAGE);
  removeStored(SAVED_AT_STORAGE);
}
