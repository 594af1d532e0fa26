export { appendEntry, publishSnapshot, makeCheckpoint, inclusionProof, consistencyProof, rootAt, receiptFor } from './ledger.service';
export { verifyLedger, type TVerifyReport } from './ledger.verify';
export { ledgerSigner } from './ledger.signer';
export { ledgerRoutes } from './ledger.routes';
export { ledgerJobs } from './ledger.jobs';
