import { apiRoute, endpoint } from '../../modules/api/handler.server'
import { ENDPOINTS } from '../../modules/api/registry'
import { listRolesPage } from '../../modules/api/resources.server'

export const { loader, action } = apiRoute({
	GET: endpoint(ENDPOINTS.listRoles, ({ context }) => listRolesPage(context)),
})
