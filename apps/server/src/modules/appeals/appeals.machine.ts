import type { TAppealAction, TAppealStatus, THolderLevel } from '@cunwu/contract';

/** What the state machine needs to know about an appeal. */
export interface TMachineAppeal {
  status: TAppealStatus;
  holderLevel: THolderLevel;
}

/** How the actor relates to the appeal (worked out from roles, scope and department by the service). */
export interface TMachineActor {
  /** Holds the appeal now (cadre of the village, officer of the level, handler of the department). */
  isHolder: boolean;
  /** May urge: discipline officers of the region, officials of a level above the holder. */
  isSupervisor: boolean;
  /** The villager who submitted it. */
  isSubmitter: boolean;
}

const OPEN: TAppealStatus[] = ['submitted', 'accepted', 'in_progress', 'reopened'];
const WORKING: TAppealStatus[] = ['accepted', 'in_progress', 'reopened'];

/** The next holder level on escalation, or null above the city. */
export function levelAbove(level: THolderLevel): THolderLevel | null {
  switch (level) {
    case 'village':
      return 'town';
    case 'town':
      return 'county';
    case 'county':
      return 'city';
    default:
      return null;
  }
}

/** Why an action is not allowed, in Chinese and English; null when it is. */
export function refusal(appeal: TMachineAppeal, action: TAppealAction, actor: TMachineActor): string | null {
  const { status } = appeal;
  const needHolder = () => (actor.isHolder ? null : 'only the unit holding the appeal may do this / 只有当前承办单位可以办理');
  switch (action) {
    case 'accept':
      if (status !== 'submitted') return `cannot accept an appeal that is ${status} / 当前状态不能受理`;
      return needHolder();
    case 'reject':
      if (status !== 'submitted') return `only a newly submitted appeal can be refused / 只有新提交的诉求可以不予受理`;
      return needHolder();
    case 'escalate':
      if (!OPEN.includes(status)) return `cannot escalate an appeal that is ${status} / 当前状态不能上报`;
      if (appeal.holderLevel === 'department') return 'a department cannot escalate; resolve or return it / 职能部门不能上报';
      if (levelAbove(appeal.holderLevel) === null) return 'the city is the highest level / 已是市级，不能再上报';
      return needHolder();
    case 'divert':
      if (!OPEN.includes(status)) return `cannot divert an appeal that is ${status} / 当前状态不能转办`;
      if (appeal.holderLevel === 'village' || appeal.holderLevel === 'department') return 'diverting to a department is for town, county and city levels / 只有乡镇及以上可以转办职能部门';
      return needHolder();
    case 'resolve':
      if (!WORKING.includes(status)) return `cannot resolve an appeal that is ${status} / 当前状态不能办结`;
      return needHolder();
    case 'wait':
      if (!WORKING.includes(status)) return `cannot wait on the submitter when the appeal is ${status} / 当前状态不能请求补充`;
      return needHolder();
    case 'resume':
      if (status !== 'waiting') return 'the appeal is not waiting / 诉求不在等待补充状态';
      return actor.isHolder || actor.isSubmitter ? null : 'only the holder or the submitter may resume / 只有承办单位或提交人可以恢复';
    case 'merge':
      if (!OPEN.includes(status)) return `cannot merge an appeal that is ${status} / 当前状态不能合并`;
      return needHolder();
    case 'urge':
      if (!OPEN.includes(status) && status !== 'waiting') return `cannot urge an appeal that is ${status} / 当前状态无需催办`;
      return actor.isSupervisor ? null : 'only supervisors and discipline officers may urge / 只有上级和纪检监察干部可以催办';
    case 'comment':
      if (status === 'merged') return 'the appeal was merged / 诉求已合并';
      return actor.isHolder || actor.isSubmitter || actor.isSupervisor ? null : 'not allowed / 无权操作';
    default:
      return 'unknown action / 未知操作';
  }
}

/** Every action the actor may take now (for the apps' buttons). */
export function allowedActions(appeal: TMachineAppeal, actor: TMachineActor, actions: readonly TAppealAction[]): TAppealAction[] {
  return actions.filter((a) => refusal(appeal, a, actor) === null);
}

/** Whether the submitter may rate now (after a resolution, until he has rated it closed). */
export function canRate(appeal: TMachineAppeal, actor: TMachineActor): boolean {
  return actor.isSubmitter && appeal.status === 'resolved';
}
