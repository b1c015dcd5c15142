import { apiRoute, endpoint } from '../../modules/api/handler.server'
import { ENDPOINTS } from '../../modules/api/registry'
import { deleteUserWithKey, getUser, updateUserWithKey } from '../../modules/api/users.server'

export const { loader, action } = apiRoute({
	GET: endpoint(ENDPOINTS.getUser, ({ context, params }) => getUser(context, params.id)),
	PATCH: endpoint(ENDPOINTS.updateUser, ({ key, context, params, body }) => updateUserWithKey(key, context, params.id, body)),
	DELETE: endpoint(ENDPOINTS.deleteUser, ({ key, context, params }) => deleteUserWithKey(key, context, params.id)),
})
