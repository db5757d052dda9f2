import { listWebhookDeliveries } from '../../notifications/webhook-deliveries';
import type { Resolvers } from '../generated/resolvers-types';
import { decodeCursor, pageSize, toPage } from '../pagination';

export const deliveryResolvers: Resolvers = {
  Query: {
    webhookDeliveries: async (_p, { status, first, after }, { viewer }) => {
      const size = pageSize(first);
      const afterId = decodeCursor<[number]>(after, ['number'])?.[0];
      return toPage(await listWebhookDeliveries(viewer, { status: status ?? undefined }, { size, afterId }), size, (row) => [row.id]);
    },
  },
  WebhookDelivery: {
    url: (row) => row.recipient,
  },
};
