import { apiRoute, endpoint } from '../../modules/api/handler.server'
import { ENDPOINTS } from '../../modules/api/registry'
import { createOrgWithKey, listOrgsPage } from '../../modules/api/resources.server'

/** Platform endpoints: operator host and operator keys only (ENDPOINTS marks them operatorOnly). */
export const { loader, action } = apiRoute({
	GET: endpoint(ENDPOINTS.listOrgs, ({ query }) => listOrgsPage(query)),
	POST: endpoint(ENDPOINTS.createOrg, ({ key, context, body }) => createOrgWithKey(key, context, body)),
})
