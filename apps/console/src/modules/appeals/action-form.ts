import { APPEAL_LIMITS, ZAppealActionRequest, type TAppealAction } from '@cunwu/contract';

/** Whether a text field of an action's form is asked for, and whether it must be filled. */
type TNeed = 'required' | 'optional';

/** The fields each action's small form shows (the server's rules: what it refuses without). */
export interface TActionFields {
  reason?: TNeed;
  publicText?: TNeed;
  /** Divert: the department that takes it over. */
  department?: true;
  /** Merge: the appeal this one duplicates. */
  mergeTarget?: true;
}

/** Form of each action. Every action may carry an internal note (内部备注) that only officials see. */
export const ACTION_FIELDS: Record<TAppealAction, TActionFields> = {
  accept: { publicText: 'optional' },
  escalate: { reason: 'required', publicText: 'optional' },
  divert: { department: true, reason: 'required', publicText: 'optional' },
  resolve: { publicText: 'required' },
  reject: { reason: 'required' },
  wait: { publicText: 'required' },
  resume: { publicText: 'optional' },
  urge: { reason: 'required' },
  merge: { mergeTarget: true, reason: 'optional' },
  comment: { publicText: 'required' },
};

/** Longest text of any field (the contract's limit). */
export const ACTION_TEXT_MAX = APPEAL_LIMITS.textMax;

const REQUIRED_MESSAGES = {
  reason: {
    escalate: 'say why this level cannot solve it / 请填写上报理由',
    divert: 'say why it goes to the department / 请填写转办理由',
    reject: 'a public reason is required / 请填写不予受理的理由',
    urge: 'say what is urged / 请填写催办意见',
  },
  publicText: {
    resolve: 'tell the villager what was done / 请填写办理结果',
    wait: 'ask the villager what is missing / 请写明需要补充的内容',
    comment: 'write the comment / 请填写内容',
  },
} as const;

/**
 * The action request as the contract defines it, plus the per-action requirements the server
 * enforces (escalate needs a reason, resolve a public text …), so the form says so before sending.
 */
export const ZActionForm = ZAppealActionRequest.superRefine((value, ctx) => {
  const fields = ACTION_FIELDS[value.action];
  if (fields.reason === 'required' && !value.reason) {
    ctx.addIssue({ code: 'custom', path: ['reason'], message: REQUIRED_MESSAGES.reason[value.action as keyof typeof REQUIRED_MESSAGES.reason] });
  }
  if (fields.publicText === 'required' && !value.publicText) {
    ctx.addIssue({ code: 'custom', path: ['publicText'], message: REQUIRED_MESSAGES.publicText[value.action as keyof typeof REQUIRED_MESSAGES.publicText] });
  }
  if (fields.department && !value.departmentId) ctx.addIssue({ code: 'custom', path: ['departmentId'], message: 'choose the department / 请选择职能部门' });
  if (fields.mergeTarget && !value.intoId) ctx.addIssue({ code: 'custom', path: ['intoId'], message: 'choose the appeal to merge into / 请选择合并到的诉求' });
});
