/**
 * What other modules may use of the 透明账本 module: the phone's own checkpoint check and the proof
 * that one entry is in it. (The router imports `./routes` directly.)
 */
export { useLedgerCheck, type TLedgerCheck, type TVerifiedCheckpoint } from './use-ledger-check';
export { proveEntry, type TLedgerEntryView } from './use-ledger-entries';
export { fetchLedgerStatus } from './api';
