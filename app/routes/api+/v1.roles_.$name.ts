import { apiRoute, endpoint } from '../../modules/api/handler.server'
import { ENDPOINTS } from '../../modules/api/registry'
import { deleteRoleWithKey, getRoleByName, updateRoleWithKey } from '../../modules/api/roles.server'

export const { loader, action } = apiRoute({
	GET: endpoint(ENDPOINTS.getRole, ({ context, params }) => getRoleByName(context, params.name)),
	PATCH: endpoint(ENDPOINTS.updateRole, ({ key, context, params, body }) => updateRoleWithKey(key, context, params.name, body)),
	DELETE: endpoint(ENDPOINTS.deleteRole, ({ key, context, params }) => deleteRoleWithKey(key, context, params.name)),
})
