/** The product's name, as it appears in the `user-agent` of every BCC request. */
export const PRODUCT_NAME = 'bcc-sg-binder'

/** Kept equal to package.json's `version` by a test; a constant keeps JSON imports out of bundles. */
export const PRODUCT_VERSION = '0.1.0'
