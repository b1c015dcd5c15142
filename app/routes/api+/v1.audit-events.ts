import { apiRoute, endpoint } from '../../modules/api/handler.server'
import { ENDPOINTS } from '../../modules/api/registry'
import { listAuditEventsPage } from '../../modules/api/resources.server'

export const { loader, action } = apiRoute({
	GET: endpoint(ENDPOINTS.listAuditEvents, ({ context, query }) => listAuditEventsPage(context, query)),
})
