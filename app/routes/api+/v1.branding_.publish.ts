import { apiRoute, endpoint } from '../../modules/api/handler.server'
import { ENDPOINTS } from '../../modules/api/registry'
import { publishBrandingWithKey } from '../../modules/api/branding.server'

export const { loader, action } = apiRoute({
	POST: endpoint(ENDPOINTS.publishBranding, ({ key, context }) => publishBrandingWithKey(key, context)),
})
