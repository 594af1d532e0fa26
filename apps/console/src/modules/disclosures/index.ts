/** What other modules may use from the disclosures module (公开). */
export { disclosureRoutes } from './routes';
export { COMPLIANCE_READ_ROLES, DISCLOSURE_READ_ROLES } from './disclosure-labels';
