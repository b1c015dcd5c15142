import { apiRoute, endpoint } from '../../modules/api/handler.server'
import { ENDPOINTS } from '../../modules/api/registry'
import { listAppsPage } from '../../modules/api/resources.server'

export const { loader, action } = apiRoute({
	GET: endpoint(ENDPOINTS.listApps, ({ context, query }) => listAppsPage(context, query)),
})
