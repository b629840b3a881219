// Dense complex linear algebra on split re/im Float64Arrays (row-major).
export {
  type CMatrix, type RealMatrixLike,
  czeros, cidentity, cfromArrays, cclone, cconj, cconjTranspose, ctranspose,
  cfrobeniusNorm, cscale, cadd, cget, cfromRealMatrix, ctoRealParts, crealEmbedding,
} from './cmatrix';
export { type MatOp, cmatmul, cmatmulInto } from './gemm';
export { type CQR, type CLQ, cqr, clq } from './qr';
export { type CSVD, type SvdFactors, csvd, csvdRank } from './svd';
export { type Truncation, truncationRank } from './truncate';
