import { apiRoute, endpoint } from '../../modules/api/handler.server'
import { ENDPOINTS } from '../../modules/api/registry'
import { createUserWithKey, listUsers } from '../../modules/api/users.server'

export const { loader, action } = apiRoute({
	GET: endpoint(ENDPOINTS.listUsers, ({ context, query }) => listUsers(context, query)),
	POST: endpoint(ENDPOINTS.createUser, ({ key, context, body }) => createUserWithKey(key, context, body)),
})
