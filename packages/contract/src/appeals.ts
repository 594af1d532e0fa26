import { z } from 'zod';
import { ZRegionCode } from './regions';
import { ZPhone } from './auth';

/** Appeal states (DESIGN §5). */
export const APPEAL_STATUSES = ['submitted', 'accepted', 'in_progress', 'waiting', 'resolved', 'closed', 'rejected', 'merged', 'reopened'] as const;
/** An appeal state. */
export type TAppealStatus = (typeof APPEAL_STATUSES)[number];

/** Levels that can hold an appeal. */
export const HOLDER_LEVELS = ['village', 'town', 'county', 'city', 'department'] as const;
/** A holder level. */
export type THolderLevel = (typeof HOLDER_LEVELS)[number];

/** Actions on an appeal (`POST /appeals/{id}/actions`). */
export const APPEAL_ACTIONS = ['accept', 'escalate', 'divert', 'resolve', 'reject', 'urge', 'merge', 'wait', 'resume', 'comment'] as const;
/** An action. */
export type TAppealAction = (typeof APPEAL_ACTIONS)[number];

/** Intake channels. */
export const APPEAL_CHANNELS = ['villager', 'group', 'hotline', 'visit', 'open311'] as const;

/** Ratings the submitter gives. */
export const APPEAL_RATINGS = ['satisfied', 'basically', 'unsatisfied'] as const;

/** Limits of appeal content. */
export const APPEAL_LIMITS = { contentMax: 4000, textMax: 2000, filesMax: 9, fileBytesMax: 20 * 1024 * 1024 } as const;

/** Chinese names of states, levels and actions for both apps. */
export const APPEAL_LABELS = {
  status: { submitted: '已提交', accepted: '已受理', in_progress: '办理中', waiting: '待补充', resolved: '已办结', closed: '已关闭', rejected: '不予受理', merged: '已合并', reopened: '重新办理' },
  level: { village: '村级', town: '乡镇', county: '县级', city: '市级', department: '职能部门' },
  event: {
    submitted: '提交诉求', accepted: '受理', escalated: '上报', diverted: '转办', resolved: '办结', rejected: '不予受理', urged: '催办', merged: '合并',
    waiting: '请求补充材料', resumed: '恢复办理', reopened: '重新办理', closed: '关闭', rated: '评价', commented: '说明', warned: '临期提醒', breached: '超期',
  },
} as const;

/** A category (also an Open311 service). */
export const ZAppealCategory = z.object({ code: z.string(), name: z.string(), nameEn: z.string() });
/** Category DTO. */
export type TAppealCategory = z.infer<typeof ZAppealCategory>;

/** `POST /appeals` (JSON; files go through `POST /appeals/{id}/files`). */
export const ZSubmitAppealRequest = z.object({
  villageCode: ZRegionCode,
  category: z.string().regex(/^[a-z_]{2,32}$/),
  content: z.string().trim().min(5, 'please describe the problem (5+ characters) / 请至少写5个字').max(APPEAL_LIMITS.contentMax),
  transcript: z.string().trim().max(APPEAL_LIMITS.contentMax).optional(),
  isPublic: z.boolean().default(true),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
  address: z.string().trim().max(200).optional(),
  /** Intake by an official (hotline, visit, group registration): the villager's name and phone. */
  channel: z.enum(['villager', 'group', 'hotline', 'visit']).optional(),
  submitterName: z.string().trim().min(1).max(32).optional(),
  submitterPhone: ZPhone.optional(),
  submitterMemberId: z.uuid().optional(),
  chatPostId: z.uuid().optional(),
});
/** Submit request. */
export type TSubmitAppealRequest = z.input<typeof ZSubmitAppealRequest>;

/** Answer to a submission. */
export const ZSubmitAppealResponse = z.object({
  id: z.string(),
  trackingNo: z.string(),
  status: z.enum(APPEAL_STATUSES),
  /** Similar open appeals of the village (duplicate suggestions). */
  similar: z.array(z.object({ id: z.string(), trackingNo: z.string(), content: z.string(), status: z.enum(APPEAL_STATUSES), similarity: z.number() })),
});

/** One step of the timeline. */
export const ZAppealEvent = z.object({
  type: z.string(),
  at: z.string(),
  actor: z.string().nullable(),
  fromLevel: z.string().nullable(),
  toLevel: z.string().nullable(),
  toUnit: z.string().nullable(),
  publicText: z.string().nullable(),
  reason: z.string().nullable(),
  /** Only for officials handling it. */
  internalNote: z.string().nullable().optional(),
  dueAt: z.string().nullable(),
  ledgerIndex: z.number().int().nullable(),
});
/** Event DTO. */
export type TAppealEvent = z.infer<typeof ZAppealEvent>;

/** An appeal as its viewer may see it (personal data masked for the public). */
export const ZAppeal = z.object({
  id: z.string(),
  trackingNo: z.string(),
  regionCode: ZRegionCode,
  villageName: z.string(),
  category: z.string(),
  categoryName: z.string(),
  channel: z.enum(APPEAL_CHANNELS),
  content: z.string(),
  transcript: z.string().nullable(),
  isPublic: z.boolean(),
  submitterName: z.string().nullable(),
  submitterPhone: z.string().nullable(),
  status: z.enum(APPEAL_STATUSES),
  holderLevel: z.enum(HOLDER_LEVELS),
  holderUnit: z.string(),
  stage: z.enum(['accept', 'resolve']).nullable(),
  dueAt: z.string().nullable(),
  isOverdue: z.boolean(),
  urgeCount: z.number().int(),
  escalationCount: z.number().int(),
  rating: z.enum(APPEAL_RATINGS).nullable(),
  ratingComment: z.string().nullable(),
  mergedInto: z.object({ id: z.string(), trackingNo: z.string() }).nullable(),
  isMine: z.boolean(),
  isFollowing: z.boolean(),
  /** What the viewer may do now. */
  allowedActions: z.array(z.enum(APPEAL_ACTIONS)),
  canRate: z.boolean(),
  files: z.array(z.object({ sha256: z.string(), kind: z.enum(['voice', 'photo']), url: z.string() })),
  timeline: z.array(ZAppealEvent),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});
/** Appeal DTO. */
export type TAppeal = z.infer<typeof ZAppeal>;

/** `POST /appeals/{id}/actions`. */
export const ZAppealActionRequest = z.object({
  action: z.enum(APPEAL_ACTIONS),
  reason: z.string().trim().max(APPEAL_LIMITS.textMax).optional(),
  publicText: z.string().trim().max(APPEAL_LIMITS.textMax).optional(),
  internalNote: z.string().trim().max(APPEAL_LIMITS.textMax).optional(),
  departmentId: z.uuid().optional(),
  intoId: z.uuid().optional(),
});
/** Action request. */
export type TAppealActionRequest = z.infer<typeof ZAppealActionRequest>;

/** `POST /appeals/{id}/feedback`. */
export const ZAppealFeedbackRequest = z.object({ rating: z.enum(APPEAL_RATINGS), comment: z.string().trim().max(500).optional() });
/** Feedback request. */
export type TAppealFeedbackRequest = z.infer<typeof ZAppealFeedbackRequest>;

/** A row of the list / worklist. */
export const ZAppealListItem = z.object({
  id: z.string(),
  trackingNo: z.string(),
  regionCode: z.string(),
  villageName: z.string(),
  category: z.string(),
  categoryName: z.string(),
  summary: z.string(),
  status: z.enum(APPEAL_STATUSES),
  holderLevel: z.enum(HOLDER_LEVELS),
  holderUnit: z.string(),
  dueAt: z.string().nullable(),
  isOverdue: z.boolean(),
  urgeCount: z.number().int(),
  createdAt: z.string(),
});
/** List item DTO. */
export type TAppealListItem = z.infer<typeof ZAppealListItem>;

/** `GET /appeals?region=&status=&category=&scope=&q=&cursor=&limit=`. */
export const ZListAppealsQuery = z.object({
  region: ZRegionCode.optional(),
  status: z.string().regex(/^[a-z_,]+$/).optional(),
  category: z.string().regex(/^[a-z_]{2,32}$/).optional(),
  /** worklist: what my level/unit holds now; mine: what I submitted; public: public appeals of my village. */
  view: z.enum(['all', 'worklist', 'mine', 'public', 'following']).default('all'),
  due: z.enum(['overdue', 'soon', 'new']).optional(),
  q: z.string().trim().max(64).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(30),
});
/** List query. */
export type TListAppealsQuery = z.input<typeof ZListAppealsQuery>;

/** Page of appeals. */
export const ZAppealPage = z.object({ items: z.array(ZAppealListItem), nextCursor: z.string().nullable() });

/** A department (职能部门). */
export const ZDepartment = z.object({ id: z.string(), name: z.string(), regionCode: ZRegionCode, regionName: z.string(), categories: z.array(z.string()) });
/** Department DTO. */
export type TDepartment = z.infer<typeof ZDepartment>;

/** `GET /appeals/stats?region=&from=&to=`. */
export const ZAppealStatsQuery = z.object({
  region: ZRegionCode,
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});

const counts = {
  received: z.number().int(),
  accepted: z.number().int(),
  resolved: z.number().int(),
  resolvedWithinDays: z.number().int(),
  closed: z.number().int(),
  rejected: z.number().int(),
  overdue: z.number().int(),
  urges: z.number().int(),
  escalatedTown: z.number().int(),
  escalatedCounty: z.number().int(),
  escalatedCity: z.number().int(),
  diverted: z.number().int(),
  reopened: z.number().int(),
  satisfied: z.number().int(),
  basically: z.number().int(),
  unsatisfied: z.number().int(),
};

/** Statistics of a region: totals and breakdowns by category, month and child region. */
export const ZAppealStats = z.object({
  region: ZRegionCode,
  from: z.string(),
  to: z.string(),
  totals: z.object(counts),
  byCategory: z.array(z.object({ category: z.string(), name: z.string(), ...counts })),
  byMonth: z.array(z.object({ month: z.string(), ...counts })),
  byRegion: z.array(z.object({ code: z.string(), name: z.string(), ...counts })),
  byDepartment: z.array(z.object({ id: z.string(), name: z.string(), diverted: z.number().int() })),
});
/** Stats DTO. */
export type TAppealStats = z.infer<typeof ZAppealStats>;
