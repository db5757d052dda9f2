import type { Catalog } from './catalog';

const when = (p: { start: string; end: string }) => `时间：${p.start} – ${p.end}`;
const where = (p: { instrument: string; lab: string }) => `仪器：${p.instrument}（${p.lab}）`;
const series = (p: { occurrences?: number; start: string; end: string; lastStart?: string }) =>
  [`次数：${p.occurrences ?? '?'}`, `首次：${p.start} – ${p.end}`, `末次开始：${p.lastStart ?? '?'}`];

export const zhCN: Catalog = {
  locale: 'zh-CN',
  greeting: (name) => `${name}，您好：`,
  note: (note) => `备注：${note}`,
  closing: '—— LabShare 共享仪器平台',
  messages: {
    requestReceived: (p) => ({
      subject: `预约申请已提交：${p.instrument}，${p.start}`,
      lines: ['您的预约申请已收到，正在等待实验室管理员审批。', where(p), when(p)],
    }),
    requestForManager: (p) => ({
      subject: `待审批：${p.instrument}，${p.start}`,
      lines: [`${p.requesterName ?? '一位研究人员'}申请预约您实验室的仪器，请批准或拒绝该申请。`, where(p), when(p)],
    }),
    confirmed: (p) => ({
      subject: `预约已确认：${p.instrument}，${p.start}`,
      lines: ['您的预约已确认，日历邀请见附件。', where(p), when(p)],
    }),
    rejected: (p) => ({
      subject: `预约申请未获批准：${p.instrument}，${p.start}`,
      lines: ['实验室管理员未批准您的预约申请。', where(p), when(p)],
    }),
    cancelled: (p) => ({
      subject: `预约已取消：${p.instrument}，${p.start}`,
      lines: ['该预约已取消，相应时段已释放。', where(p), when(p)],
    }),
    rescheduled: (p) => ({
      subject: `预约时间已变更：${p.instrument}，新时间 ${p.start}`,
      lines: ['您的预约时间已变更，更新后的日历邀请见附件。', where(p), when(p), `原时间：${p.previousStart ?? '?'} – ${p.previousEnd ?? '?'}`],
    }),
    rescheduledPending: (p) => ({
      subject: `预约时间已变更，待审批：${p.instrument}，${p.start}`,
      lines: ['您的预约时间已变更，新时间需经实验室管理员审批。', where(p), when(p), `原时间：${p.previousStart ?? '?'} – ${p.previousEnd ?? '?'}`],
    }),
    expired: (p) => ({
      subject: `预约申请已过期：${p.instrument}，${p.start}`,
      lines: ['您的预约申请在开始前未获审批，已自动过期。', where(p), when(p)],
    }),
    reminder: (p) => ({
      subject: `提醒：${p.instrument}${p.startsIn ? `将于${p.startsIn}后开始` : '即将开始'}`,
      lines: [`您的预约将${p.startsIn ? `于${p.startsIn}后` : '很快'}开始。`, where(p), when(p)],
    }),
    seriesRequestReceived: (p) => ({
      subject: `周期预约申请已提交：${p.instrument}，共 ${p.occurrences} 次，自 ${p.start}`,
      lines: ['您的周期预约申请已收到，正在等待实验室管理员审批。', where(p), ...series(p)],
    }),
    seriesRequestForManager: (p) => ({
      subject: `周期预约待审批：${p.instrument}，共 ${p.occurrences} 次，自 ${p.start}`,
      lines: [`${p.requesterName ?? '一位研究人员'}申请周期性预约您实验室的仪器，请批准或拒绝整个系列。`, where(p), ...series(p)],
    }),
    seriesConfirmed: (p) => ({
      subject: `周期预约已确认：${p.instrument}，共 ${p.occurrences} 次，自 ${p.start}`,
      lines: ['您的周期预约已确认，整个系列的日历邀请见附件。', where(p), ...series(p)],
    }),
    seriesRejected: (p) => ({
      subject: `周期预约申请未获批准：${p.instrument}，共 ${p.occurrences} 次，自 ${p.start}`,
      lines: ['实验室管理员未批准您的周期预约申请。', where(p), ...series(p)],
    }),
    seriesCancelled: (p) => ({
      subject: `周期预约已取消：${p.instrument}，共 ${p.occurrences} 次，自 ${p.start}`,
      lines: ['您周期预约中的以下场次已取消，相应时段已释放。', where(p), ...series(p)],
    }),
  },
};
