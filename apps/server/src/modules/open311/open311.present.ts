import {
  APPEAL_LABELS, ERROR_CODES, OPEN311_STATUS_OF, maskPhone, maskTail, open311StatusAfter,
  type TOpen311Error, type TOpen311Request, type TOpen311Service, type TOpen311Status, type TOpen311Update,
} from '@cunwu/contract';
import type { AppError } from '../../kernel/errors';
import type { TPublicAppeal, TPublicAppealEvent } from '../appeals';

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** ISO 8601 in China time with its offset (`2023-05-16T09:00:00+08:00`), as the spec's examples carry one. */
export function isoChina(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().replace(/\.\d{3}Z$/, '+08:00');
}

/** 2023年5月17日 09:00 (China time) for notices people read. */
function chineseDateTime(instant: Date): string {
  const [date, time] = new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().split('T') as [string, string];
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日 ${time.slice(0, 5)}`;
}

// The villager's free text is public in the village, but this façade answers the whole internet:
// mobile numbers and ID-card numbers written into it are masked as everywhere else on the platform.
const MOBILE_IN_TEXT = /(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)/g;
const ID_NUMBER_IN_TEXT = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g;

/** Free text with phone and ID numbers masked. */
export function maskPersonalText(text: string): string {
  return text.replace(ID_NUMBER_IN_TEXT, (m) => maskTail(m)).replace(MOBILE_IN_TEXT, (m) => maskPhone(m.slice(-11)));
}

/** A category as an Open311 service; villages are addressed by `address_id`, so there is no metadata to fetch. */
export function presentService(category: { code: string; name: string; nameEn: string }): TOpen311Service {
  return {
    service_code: category.code,
    service_name: category.name,
    description: `${category.name}（${category.nameEn}）。用 address_id 指定村（社区）：12 位统计用区划代码 / address the village with address_id, its 12-digit division code.`,
    metadata: false,
    type: 'realtime',
    keywords: [category.name, category.nameEn, category.code].join(','),
    group: '群众诉求',
  };
}

/** What happens next, in words (the spec's service_notice). */
export function serviceNotice(appeal: Pick<TPublicAppeal, 'status' | 'stage' | 'dueAt' | 'holderUnit'>): string {
  const open = OPEN311_STATUS_OF[appeal.status] === 'open';
  if (appeal.status === 'waiting') return '等待反映人补充材料，办理时限暂停 / waiting for the submitter; the clock is paused';
  if (open && appeal.dueAt && appeal.stage === 'accept') return `待受理：${appeal.holderUnit}应于${chineseDateTime(appeal.dueAt)}前受理 / to be accepted by ${isoChina(appeal.dueAt)}`;
  if (open && appeal.dueAt) return `办理中：${appeal.holderUnit}应于${chineseDateTime(appeal.dueAt)}前办结 / to be resolved by ${isoChina(appeal.dueAt)}`;
  if (appeal.status === 'resolved') return '已办结，等待反映人评价 / resolved; awaiting the submitter\'s rating';
  if (appeal.status === 'rejected') return '不予受理，理由见 status_notes / rejected; the reason is in status_notes';
  if (appeal.status === 'merged') return '与另一诉求重复，已合并办理，见 status_notes / a duplicate, handled with the request named in status_notes';
  return APPEAL_LABELS.status[appeal.status];
}

/** A public appeal as an Open311 service request: no names, no phones, text masked. */
export function presentRequest(appeal: TPublicAppeal): TOpen311Request {
  const status = OPEN311_STATUS_OF[appeal.status];
  return {
    service_request_id: appeal.trackingNo,
    status,
    status_notes: appeal.latestPublicText ? maskPersonalText(appeal.latestPublicText) : null,
    service_name: appeal.categoryName,
    service_code: appeal.category,
    description: maskPersonalText(appeal.content),
    agency_responsible: appeal.holderUnit,
    service_notice: serviceNotice(appeal),
    requested_datetime: isoChina(appeal.createdAt),
    updated_datetime: isoChina(appeal.updatedAt),
    // The due time of the current stage; none while paused (it moves on resume) or once closed.
    expected_datetime: status === 'open' && appeal.status !== 'waiting' && appeal.dueAt ? isoChina(appeal.dueAt) : null,
    address: appeal.address ? maskPersonalText(appeal.address) : appeal.villageName,
    address_id: appeal.regionCode,
    zipcode: null,
    lat: appeal.latitude,
    long: appeal.longitude,
    // Photos and voice stay behind the platform's own access rules.
    media_url: null,
    extended_attributes: { status_detail: appeal.status, holder_level: appeal.holderLevel, tracking_no: appeal.trackingNo },
  };
}

/** The public timeline as updates, each with the Open311 state right after it. */
export function presentUpdates(trackingNo: string, timeline: TPublicAppealEvent[]): TOpen311Update[] {
  let status: TOpen311Status = 'open';
  return timeline.map((event) => {
    status = open311StatusAfter(event.type, status);
    const label = (APPEAL_LABELS.event as Record<string, string>)[event.type] ?? event.type;
    // The public text, and the reason when it says more (an escalation's reason is public, as villagers see it).
    const text = [event.publicText, event.reason !== event.publicText ? event.reason : null].filter(Boolean).join('；');
    return {
      update_id: String(event.id),
      service_request_id: trackingNo,
      status,
      description: `${label}${event.toUnit ? ` → ${event.toUnit}` : ''}${text ? `：${maskPersonalText(text)}` : ''}`,
      updated_datetime: isoChina(event.at),
      extended_attributes: { type: event.type, from_level: event.fromLevel, to_level: event.toLevel, unit: event.toUnit },
    };
  });
}

/** Our error as the spec's error list: one item per field problem, `code` the HTTP status. */
export function presentErrors(error: AppError): TOpen311Error[] {
  if (error.fieldErrors?.length) return error.fieldErrors.map((f) => ({ code: error.status, description: `${f.field}: ${f.reason}` }));
  const entry = ERROR_CODES[error.code];
  return [{ code: error.status, description: error.code === 'INTERNAL' || !error.detail ? `${entry.en} / ${entry.zh}` : error.detail }];
}
