import { Readable } from 'node:stream';
import { addCalendarDays, chinaDate, type TCreateLedgerLineRequest } from '@cunwu/contract';
import type { TAuditContext } from '../../kernel/audit';
import type { TActor } from '../../kernel/policy';
import type { TServices } from '../../kernel/services';
import { createDisclosure, publishDisclosure, reviewDisclosure, submitDisclosure } from '../disclosures';
import { createLine, listMonth, reviewLine, updateInvoice, uploadInvoice } from '../finance';
import { pastPeriods } from './demo.disclosures';
import { renderInvoiceImage, type TDemoInvoice } from './demo.invoice-image';

/** Who keeps, reviews and publishes a village's accounts in the demo. */
export interface TDemoAccountsCast {
  villageCode: string;
  villageName: string;
  bookkeeper: TActor;
  resident: TActor;
  cadre: TActor;
}

type TPlannedLine = Omit<TCreateLedgerLineRequest, 'villageCode' | 'invoiceIds' | 'date'> & { day: number; invoice?: Omit<TDemoInvoice, 'date' | 'amountFen' | 'buyerName' | 'code' | 'number' | 'format'> & { format?: TDemoInvoice['format'] } };

/** A month of a village's accounts: grants and rent in, running costs and small works out. */
function monthPlan(month: number, villageName: string, isLatest: boolean): TPlannedLine[] {
  const seller = (name: string, taxId: string, item: string, photo = false): NonNullable<TPlannedLine['invoice']> => ({ sellerName: name, sellerTaxId: taxId, items: [{ name: item, amountFen: 0 }], photo });
  const k = month % 3;
  return [
    { day: 5, direction: 'income', amountFen: 3_000_000, subject: '补助收入', counterparty: '南安市梅山镇人民政府', paymentMethod: 'bank', voucherNo: '', summary: '村级组织运转经费（上级转移支付）' },
    { day: 12, direction: 'income', amountFen: [860_000, 920_000, 780_000][k]!, subject: '发包及上交收入', counterparty: `${villageName}果林承包户`, counterpartyKind: 'organisation', paymentMethod: 'bank', voucherNo: '', summary: '集体果林发包租金（季度）' },
    { day: 8, direction: 'expense', amountFen: [128_050, 96_300, 143_800][k]!, subject: '管理费用', counterparty: '南安市梅山镇兴旺办公用品店', paymentMethod: 'wechat', voucherNo: '', summary: '村部办公用品、打印耗材', invoice: seller('南安市梅山镇兴旺办公用品店', '92350583MA2Y8K3L6X', '*办公用品*打印纸、墨盒、文件夹') },
    { day: 15, direction: 'expense', amountFen: [1_860_000, 2_240_000, 1_520_000][k]!, subject: '公益事业支出', counterparty: '南安市鑫源建筑工程有限公司', paymentMethod: 'bank', voucherNo: '', summary: ['村道坑洼修补（二期）', '排水沟清淤及盖板更换', '文化广场路灯维修'][k]!, invoice: { ...seller('南安市鑫源建筑工程有限公司', '91350583MA34R7PX2N', ['*建筑服务*道路修补工程', '*建筑服务*排水沟清淤', '*建筑服务*路灯维修'][k]!), kind: '32', format: 'pdf' } },
    { day: 18, direction: 'expense', amountFen: [42_000, 36_000, 48_000][k]!, subject: '管理费用', counterparty: '中国电信股份有限公司南安分公司', paymentMethod: 'bank', voucherNo: '', summary: '村部宽带及电话费', invoice: seller('中国电信股份有限公司南安分公司', '91350583705255473J', '*电信服务*宽带及通话费') },
    { day: 22, direction: 'expense', amountFen: [240_000, 180_000, 300_000][k]!, subject: '其他支出', counterparty: ['陈志明', '林秀英', '黄国强'][k]!, counterpartyKind: 'person', paymentMethod: 'cash', voucherNo: '', summary: '环境卫生保洁劳务费（签领单附后）' },
    { day: 26, direction: 'expense', amountFen: [65_000, 58_000, 71_000][k]!, subject: '公益事业支出', counterparty: '南安市梅山镇绿源园林服务部', paymentMethod: 'alipay', voucherNo: '', summary: '村道两侧绿化补植苗木', invoice: seller('南安市梅山镇绿源园林服务部', '92350583MA33C1Q96T', '*林木*香樟苗、三角梅', isLatest) },
  ];
}

/**
 * Publish the last months' accounts (F01) of a village as the platform would have recorded them: the
 * bookkeeper enters each line with its invoice (photo or e-invoice PDF, read by its QR code), the
 * resident cadre approves every expense and the month's disclosure, the village cadre publishes. The
 * given months are skipped (the scenario's April is left for the bookkeeper to do on stage).
 */
export async function seedVillageAccounts(services: TServices, cast: TDemoAccountsCast, options: { months: number; skip: string[] }): Promise<{ months: string[]; lines: number }> {
  const ctx: TAuditContext = { actorId: null, requestId: 'demo-seed', ip: null };
  const today = chinaDate(services.clock.now());
  const months = pastPeriods('monthly', today, options.months).filter((m) => !options.skip.includes(m)).reverse();
  let lineCount = 0;
  let invoiceNo = 1;
  for (const month of months) {
    const m = Number(month.slice(5, 7));
    const at = (day: string, hour: number) => ({ ...services, clock: { now: () => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`) } });
    const monthEnd = addCalendarDays(`${month === '12' ? Number(month.slice(0, 4)) + 1 : month.slice(0, 4)}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}-01`, -1);
    const entered = at(addCalendarDays(monthEnd, 1), 9);
    let voucher = 1;
    for (const planned of monthPlan(m, cast.villageName, month === months[months.length - 1])) {
      const date = `${month}-${String(planned.day).padStart(2, '0')}`;
      const invoiceIds: string[] = [];
      if (planned.invoice) {
        const { format = planned.invoice.photo ? 'jpeg' : 'png', ...rest } = planned.invoice;
        const number = rest.kind === '32' ? `2635${month.replace('-', '')}${String(invoiceNo).padStart(10, '0')}` : `${String(34_000_000 + invoiceNo * 7919).slice(0, 8)}`;
        const bytes = await renderInvoiceImage({
          ...rest, kind: rest.kind ?? '10', format, code: rest.kind === '32' ? '' : '035002300111', number, date, amountFen: planned.amountFen, taxFen: 0, buyerName: `${cast.villageName}村民委员会`,
          items: rest.items.map((i) => ({ ...i, amountFen: planned.amountFen })),
        });
        invoiceNo += 1;
        const uploaded = await uploadInvoice(entered, cast.bookkeeper, ctx, { villageCode: cast.villageCode, stream: Readable.from([bytes]), fileName: `发票${invoiceNo}.${format === 'jpeg' ? 'jpg' : format}`, isTruncated: () => false });
        await updateInvoice(entered, cast.bookkeeper, ctx, uploaded.id, { sellerName: rest.sellerName, sellerTaxId: rest.sellerTaxId, taxFen: 0, confirm: true });
        invoiceIds.push(uploaded.id);
      }
      const { day: _day, invoice: _invoice, ...line } = planned;
      await createLine(entered, cast.bookkeeper, ctx, {
        ...line, villageCode: cast.villageCode, date, invoiceIds, counterpartyKind: line.counterpartyKind ?? 'organisation',
        voucherNo: `记-${month.replace('-', '')}-${String(voucher++).padStart(3, '0')}`,
      });
      lineCount += 1;
    }
    // The month's disclosure: drafted with every line of the month, reviewed, published within the grace days.
    const draft = await createDisclosure(entered, cast.bookkeeper, ctx, {
      villageCode: cast.villageCode, itemCode: 'F01', period: month, title: `${cast.villageName}${m}月财务收支明细公开`,
      body: `${cast.villageName}${month.slice(0, 4)}年${m}月村级财务收支明细及原始票据。\n每笔支出均经驻村干部联审，票据影像可点开查看。\n如有疑问，请在监督群留言或向村务监督委员会反映。`,
    });
    await submitDisclosure(entered, cast.bookkeeper, ctx, draft.id);
    const reviewed = at(addCalendarDays(monthEnd, 3), 10);
    for (const row of (await listMonth(services, cast.resident, cast.villageCode, { month })).lines) {
      if (row.reviewStatus === 'pending') await reviewLine(reviewed, cast.resident, ctx, row.id, { decision: 'approve' });
    }
    await reviewDisclosure(reviewed, cast.resident, ctx, draft.id, { decision: 'approve' });
    await publishDisclosure(at(addCalendarDays(monthEnd, 4), 16), cast.cadre, ctx, draft.id);
  }
  return { months, lines: lineCount };
}
