/**
 * ✓ 已记入账本 on each step of an appeal, checked on the phone: the ledger's signed checkpoint is
 * verified as on the 透明账本 page, then each step's entry is proven to be in it, and the entry must
 * be about this very step — its digest is recomputed here from what the page shows. A server that
 * showed a step differently from what it logged would fail this check.
 */
import { computed, reactive, type ComputedRef } from 'vue';
import { contentDigest, type TAppeal, type TAppealEvent } from '@cunwu/contract';
import { fetchLedgerStatus, proveEntry, useLedgerCheck, type TLedgerCheck, type TLedgerEntryView, type TVerifiedCheckpoint } from '@/modules/ledger';

/** What the phone found out about one step's ledger entry. */
export type TStepProof =
  | 'checking'
  /** In the signed ledger, and the entry describes exactly this step. */
  | 'recorded'
  /** Logged after the last signing: provable after the next one. */
  | 'pending'
  /** The entry is in the ledger but says something else than the page shows. */
  | 'mismatch'
  /** The server's proof does not lead to the signed root. */
  | 'notIncluded'
  /** No answer (weak signal): nothing is claimed either way. */
  | 'unknown';

/** Proofs fetched at once (a long timeline on a weak signal should not open twenty requests). */
const PARALLEL = 4;

/** Whether a ledger entry is the record of this step of this appeal. */
export function isEntryOfStep(entry: TLedgerEntryView, event: TAppealEvent, trackingNo: string): boolean {
  if (!entry.isReadable || entry.type !== `appeal.${event.type}` || entry.ref !== `appeal:${trackingNo}`) return false;
  const digest = contentDigest({
    appeal: trackingNo,
    type: event.type,
    at: event.at,
    fromLevel: event.fromLevel,
    toLevel: event.toLevel,
    toUnit: event.toUnit,
    publicText: event.publicText,
  });
  return digest === entry.digest;
}

async function proveStep(event: TAppealEvent & { ledgerIndex: number }, trackingNo: string, checkpoint: TVerifiedCheckpoint): Promise<TStepProof> {
  if (event.ledgerIndex >= checkpoint.size) return 'pending';
  try {
    const { entry, isIncluded } = await proveEntry(event.ledgerIndex, checkpoint);
    if (!isIncluded) return 'notIncluded';
    return isEntryOfStep(entry, event, trackingNo) ? 'recorded' : 'mismatch';
  } catch {
    return 'unknown';
  }
}

/** Per-step ledger proofs of one appeal, keyed by ledger index. */
export function useTimelineLedger(): {
  check: ComputedRef<TLedgerCheck>;
  /** The checkpoint could not be trusted (bad signature, changed key, a rewritten history). */
  isCheckFailed: ComputedRef<boolean>;
  proofOf: (event: TAppealEvent) => TStepProof | null;
  run: (appeal: TAppeal) => Promise<void>;
} {
  const { check, run: runCheck } = useLedgerCheck();
  const proofs = reactive(new Map<number, TStepProof>());
  let generation = 0;

  const trusted = computed(() => (check.value.state === 'verified' && check.value.copy.kind !== 'inconsistent' ? check.value.checkpoint : null));

  async function run(appeal: TAppeal): Promise<void> {
    const current = ++generation;
    const steps = appeal.timeline.filter((event): event is TAppealEvent & { ledgerIndex: number } => event.ledgerIndex !== null);
    for (const step of steps) if (!proofs.has(step.ledgerIndex)) proofs.set(step.ledgerIndex, 'checking');
    await runCheck(fetchLedgerStatus());
    if (current !== generation) return;
    const checkpoint = trusted.value;
    if (checkpoint === null) {
      // No signed checkpoint yet: everything is waiting for the first signing. A failed check is
      // reported once, above the timeline, not on every step.
      for (const step of steps) proofs.set(step.ledgerIndex, check.value.state === 'none' ? 'pending' : 'unknown');
      return;
    }
    for (let i = 0; i < steps.length; i += PARALLEL) {
      const batch = steps.slice(i, i + PARALLEL);
      const results = await Promise.all(batch.map((step) => proveStep(step, appeal.trackingNo, checkpoint)));
      if (current !== generation) return;
      batch.forEach((step, k) => proofs.set(step.ledgerIndex, results[k] ?? 'unknown'));
    }
  }

  return {
    check,
    isCheckFailed: computed(() => check.value.state === 'failed' || (check.value.state === 'verified' && check.value.copy.kind === 'inconsistent')),
    proofOf: (event) => (event.ledgerIndex === null ? null : (proofs.get(event.ledgerIndex) ?? null)),
    run,
  };
}
