import type { TDisclosureAction, TDisclosureStatus } from '@cunwu/contract';

/** What the state machine needs to know about a disclosure. */
export interface TMachineDisclosure {
  status: TDisclosureStatus;
  itemCode: string;
}

/** How the actor relates to the disclosure's village (worked out from roles and scope by the service). */
export interface TMachineActor {
  /** Bookkeeper or village cadre of the village: drafts, edits, submits. */
  canDraft: boolean;
  /** Village cadre of the village: publishes and corrects. */
  canPublish: boolean;
  /** Resident cadre over the village (联审): approves or rejects submitted disclosures of reviewed items. */
  canReview: boolean;
  /** Drafted or submitted the disclosure: nobody reviews his own entries. */
  isAuthor: boolean;
}

/**
 * Items whose disclosures the resident cadre must approve (联审) before publication: the village's
 * income and expenditure (F01). `publish` requires `approved` instead of `submitted` for them.
 */
export const REVIEWED_ITEMS: ReadonlySet<string> = new Set<string>(['F01']);

/** Whether the joint review must approve disclosures of this item before publication. */
export function needsReview(itemCode: string): boolean {
  return REVIEWED_ITEMS.has(itemCode);
}

/** States in which the working copy may still be edited (a rejected one goes back to draft). */
export const EDITABLE: readonly TDisclosureStatus[] = ['draft', 'rejected'];

/**
 * Why an action is not allowed now, in English and Chinese; null when it is.
 * draft → submitted → (approved | rejected, joint review) → published → corrections (new versions).
 */
export function refusal(d: TMachineDisclosure, action: TDisclosureAction, actor: TMachineActor): string | null {
  switch (action) {
    case 'edit':
      if (!EDITABLE.includes(d.status)) {
        return d.status === 'published'
          ? 'a published disclosure cannot be edited; publish a correction / 已公开的内容不能修改，请发布更正'
          : `only a draft can be edited (this one is ${d.status}) / 只有草稿可以修改`;
      }
      return actor.canDraft ? null : 'only the village\'s bookkeeper or cadres edit drafts / 只有本村报账员或村干部可以修改草稿';
    case 'submit':
      // A disclosure the joint review sent back may be submitted again as it is (e.g. once its lines are fixed).
      if (d.status !== 'draft' && d.status !== 'rejected') return `only a draft can be submitted (this one is ${d.status}) / 只有草稿可以提交`;
      return actor.canDraft ? null : 'only the village\'s bookkeeper or cadres submit / 只有本村报账员或村干部可以提交';
    case 'review':
      if (!needsReview(d.itemCode)) return 'this item needs no joint review / 该事项无需联审';
      if (d.status !== 'submitted') return `only a submitted disclosure is reviewed (this one is ${d.status}) / 只有已提交的公开可以联审`;
      if (!actor.canReview) return 'only the resident cadre of the village reviews / 只有驻村干部可以联审';
      return actor.isAuthor ? 'nobody reviews his own entries / 不能审核自己起草或提交的内容' : null;
    case 'publish':
      if (d.status === 'published') return 'already published; publish a correction instead / 已公开，如需修改请发布更正';
      if (d.status === 'draft') return 'submit the draft before publishing / 请先提交草稿再公开';
      if (d.status === 'rejected') return 'the joint review sent it back; edit and submit it again / 联审已退回，请修改后重新提交';
      if (needsReview(d.itemCode) && d.status !== 'approved') return 'the resident cadre must approve it first (joint review) / 须经驻村干部联审通过后才能公开';
      return actor.canPublish ? null : 'only a cadre of the village publishes / 只有本村村干部可以公开';
    case 'correct':
      if (d.status !== 'published') return 'only a published disclosure can be corrected; edit the draft instead / 只有已公开的内容可以更正，草稿请直接修改';
      return actor.canPublish ? null : 'only a cadre of the village publishes corrections / 只有本村村干部可以发布更正';
    default:
      return 'unknown action / 未知操作';
  }
}

/** Every action the actor may take now (the apps' buttons). */
export function allowedActions(d: TMachineDisclosure, actor: TMachineActor, actions: readonly TDisclosureAction[]): TDisclosureAction[] {
  return actions.filter((a) => refusal(d, a, actor) === null);
}
