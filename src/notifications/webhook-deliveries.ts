// The webhook half of the delivery log, for platform admins: what was delivered, what is retrying, what failed.
import { Op, type WhereOptions } from 'sequelize';
import { NotAllowed, requireUser } from '../access/policies';
import type { Viewer } from '../access/viewer';
import { NotificationDelivery } from '../db/models';
import type { DeliveryStatus } from '../db/models/notification-delivery';
import type { NotificationDeliveryRow } from '../db/rows';

/** Newest first; `afterId` continues below that id. */
export async function listWebhookDeliveries(
  viewer: Viewer,
  filter: { status?: DeliveryStatus },
  page: { size: number; afterId?: number },
): Promise<NotificationDeliveryRow[]> {
  const user = requireUser(viewer);
  if (!user.isAdmin) throw new NotAllowed('WEBHOOK_DELIVERIES');
  const where: WhereOptions<NotificationDeliveryRow> = { channel: 'WEBHOOK' };
  if (filter.status) where.status = filter.status;
  if (page.afterId !== undefined) where.id = { [Op.lt]: page.afterId };
  return NotificationDelivery.findAll({ where, order: [['id', 'DESC']], limit: page.size + 1, raw: true });
}
