/**
 * ✓ 已核验 on a published disclosure, worked out on the phone. Three things must hold:
 * 1. the digest recomputed here from the version's content (title, body, structured data …) is the one
 *    the version states,
 * 2. the ledger entry at the version's index is the record of exactly this version with that digest,
 * 3. that entry is inside the ledger checkpoint whose signature the phone has checked itself (as on
 *    the 透明账本 page, including the comparison with the copy kept from earlier visits).
 * A server that showed a version differently from what it logged, or logged it and later rewrote it,
 * fails one of them.
 */
import { computed, reactive, type ComputedRef } from 'vue';
import { contentDigest, disclosureVersionContent, type TDisclosure, type TDisclosureVersion } from '@cunwu/contract';
import { isApiError } from '@/api/http';
import { i18n } from '@/i18n';
import { fetchLedgerStatus, proveEntry, useLedgerCheck, type TLedgerCheck, type TLedgerEntryView, type TVerifiedCheckpoint } from '@/modules/ledger';

/** Why a version did not verify. */
export type TProofFailure =
  /** The content shown does not hash to the digest the version states. */
  | 'digest'
  /** The ledger entry at the index is about something else (another disclosure or version). */
  | 'otherEntry'
  /** The ledger entry is about this version but commits to other content. */
  | 'entryDigest'
  /** The server's audit path does not lead to the signed root. */
  | 'notIncluded'
  /** The ledger itself could not be trusted (bad signature, changed key, rewritten history). */
  | 'ledger';

/** What the phone found out about one version. */
export type TVersionProof =
  | { state: 'checking' }
  | {
      state: 'verified';
      ledgerIndex: number;
      digest: string;
      /** When the ledger logged the entry (from the entry itself). */
      loggedAt: string;
      checkpointSize: number;
      /** When the checkpoint was signed, if known. */
      signedAt: string | null;
    }
  /** Logged after the last signing (or nothing is signed yet): provable after the next one. */
  | { state: 'pending'; ledgerIndex: number; digest: string; checkpointSize: number | null }
  | { state: 'failed'; reason: TProofFailure; ledgerIndex: number; digest: string; entryDigest: string | null }
  /** No answer (weak signal): nothing is claimed either way. */
  | { state: 'unknown'; message: string };

/** The digest of a version's published content, computed here exactly as the server did when publishing. */
export function recomputeDigest(disclosure: Pick<TDisclosure, 'id' | 'villageCode' | 'itemCode' | 'period' | 'eventRef'>, version: TDisclosureVersion): string {
  return contentDigest(
    disclosureVersionContent({
      disclosureId: disclosure.id,
      villageCode: disclosure.villageCode,
      itemCode: disclosure.itemCode,
      period: disclosure.period,
      eventRef: disclosure.eventRef,
      version: version.version,
      title: version.title,
      body: version.body,
      structured: version.structured,
      reason: version.reason,
      publishedAt: version.publishedAt,
    }),
  );
}

/** Whether a ledger entry is the record of this version: its type, reference and digest. */
export function entryProblem(entry: TLedgerEntryView, disclosureId: string, version: TDisclosureVersion, digest: string): 'otherEntry' | 'entryDigest' | null {
  // A first publication has no reason; every later version is a correction (disclosures.service).
  const type = version.reason === null ? 'disclosure.published' : 'disclosure.corrected';
  if (!entry.isReadable || entry.type !== type || entry.ref !== `disclosure:${disclosureId}:v${version.version}`) return 'otherEntry';
  return entry.digest === digest ? null : 'entryDigest';
}

function messageOf(error: unknown): string {
  return isApiError(error) ? error.message : i18n.global.t('common.unknownError');
}

async function proveVersion(disclosure: TDisclosure, version: TDisclosureVersion, check: TLedgerCheck, checkpoint: TVerifiedCheckpoint | null): Promise<TVersionProof> {
  const base = { ledgerIndex: version.ledgerIndex, digest: recomputeDigest(disclosure, version) };
  if (base.digest !== version.digest) return { state: 'failed', reason: 'digest', ...base, entryDigest: null };
  if (check.state === 'error') return { state: 'unknown', message: check.message };
  if (check.state === 'none') return { state: 'pending', ...base, checkpointSize: null };
  if (checkpoint === null) return { state: 'failed', reason: 'ledger', ...base, entryDigest: null };
  if (version.ledgerIndex >= checkpoint.size) return { state: 'pending', ...base, checkpointSize: checkpoint.size };
  try {
    const { entry, isIncluded } = await proveEntry(version.ledgerIndex, checkpoint);
    if (!isIncluded) return { state: 'failed', reason: 'notIncluded', ...base, entryDigest: entry.digest || null };
    const problem = entryProblem(entry, disclosure.id, version, base.digest);
    if (problem !== null) return { state: 'failed', reason: problem, ...base, entryDigest: entry.digest || null };
    return {
      state: 'verified',
      ...base,
      loggedAt: entry.at,
      checkpointSize: checkpoint.size,
      signedAt: check.state === 'verified' ? check.signedAt : null,
    };
  } catch (error) {
    return { state: 'unknown', message: messageOf(error) };
  }
}

/** Per-version proofs of one disclosure; the ledger's checkpoint is checked once per run. */
export function useVersionProof(): {
  check: ComputedRef<TLedgerCheck>;
  proofOf: (version: TDisclosureVersion) => TVersionProof | null;
  /** Check the ledger afresh and prove the given version (the one on screen). */
  run: (disclosure: TDisclosure, version: TDisclosureVersion) => Promise<void>;
  /** Prove another version against the checkpoint of the last run (once per version). */
  prove: (disclosure: TDisclosure, version: TDisclosureVersion) => Promise<void>;
} {
  const { check, run: runCheck } = useLedgerCheck();
  // Keyed by ledger index: each version has its own entry.
  const proofs = reactive(new Map<number, TVersionProof>());
  let checkRun: Promise<void> | null = null;
  let generation = 0;

  const trusted = computed(() => (check.value.state === 'verified' && check.value.copy.kind !== 'inconsistent' ? check.value.checkpoint : null));

  async function prove(disclosure: TDisclosure, version: TDisclosureVersion): Promise<void> {
    const current = generation;
    const known = proofs.get(version.ledgerIndex);
    if (known && known.state !== 'unknown' && checkRun !== null) return;
    proofs.set(version.ledgerIndex, { state: 'checking' });
    checkRun ??= runCheck(fetchLedgerStatus());
    await checkRun;
    if (current !== generation) return;
    const result = await proveVersion(disclosure, version, check.value, trusted.value);
    if (current === generation) proofs.set(version.ledgerIndex, result);
  }

  async function run(disclosure: TDisclosure, version: TDisclosureVersion): Promise<void> {
    generation++;
    proofs.clear();
    checkRun = runCheck(fetchLedgerStatus());
    await prove(disclosure, version);
  }

  return {
    check,
    proofOf: (version) => proofs.get(version.ledgerIndex) ?? null,
    run,
    prove,
  };
}
