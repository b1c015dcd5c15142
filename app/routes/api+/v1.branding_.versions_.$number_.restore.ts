import { apiRoute, endpoint } from '../../modules/api/handler.server'
import { ENDPOINTS } from '../../modules/api/registry'
import { restoreBrandingVersionWithKey } from '../../modules/api/branding.server'

export const { loader, action } = apiRoute({
	POST: endpoint(ENDPOINTS.restoreBrandingVersion, ({ key, context, params }) => restoreBrandingVersionWithKey(key, context, params.number)),
})
