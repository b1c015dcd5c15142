import { apiRoute, endpoint } from '../../modules/api/handler.server'
import { ENDPOINTS } from '../../modules/api/registry'
import { listRolesPage } from '../../modules/api/resources.server'
import { createRoleWithKey } from '../../modules/api/roles.server'

export const { loader, action } = apiRoute({
	GET: endpoint(ENDPOINTS.listRoles, ({ context }) => listRolesPage(context)),
	POST: endpoint(ENDPOINTS.createRole, ({ key, context, body }) => createRoleWithKey(key, context, body)),
})
