/** Transparency-ledger verification shared by server and browsers (RFC 9162 Merkle tree, C2SP checkpoints). */
export * from './bytes';
export * from './canonical-json';
export * from './merkle';
export * from './checkpoint';
export * from './entries';
export * from './receipt';
