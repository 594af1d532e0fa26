/** What other modules may use from the finance module (the disclosures module shows lines and their invoices). */
export { default as InvoiceThumbs } from './InvoiceThumbs.vue';
export { default as ReviewStatusTag } from './ReviewStatusTag.vue';
export { FINANCE_READ_ROLES, FINANCE_REVIEW_ROLES, FINANCE_WRITE_ROLES } from './finance-roles';
export { directionName, paymentMethodName, reviewStatusName } from './finance-labels';
