/** What other modules may use from the appeals module. */
export { default as AppealStatusTag } from './AppealStatusTag.vue';
export { APPEAL_HANDLE_PAGE_ROLES, APPEAL_READ_ROLES, APPEAL_REGISTER_ROLES, APPEAL_WORKLIST_ROLES } from './appeal-roles';
