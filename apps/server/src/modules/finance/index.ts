export { financeRoutes } from './finance.routes';
export { setListedLines, listRestOfPeriod, ledgerPublishRefusal, ledgerStructuredContent, markLedgerLinesPublished, type TLedgerDisclosure } from './finance.f01';
export { signReview, unitNameOf, type TReviewSignature } from './finance.review';
export { presentReview } from './finance.present';
export { LEDGER_ITEMS, listsLedgerLines } from './finance.policy';
export type { TNewReview, TReviewRow } from './finance.repo';
export { createLine, listMonth, updateInvoice, uploadInvoice } from './finance.service';
export { reviewLine } from './finance.review';
