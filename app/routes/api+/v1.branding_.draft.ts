import { apiRoute, endpoint } from '../../modules/api/handler.server'
import { ENDPOINTS } from '../../modules/api/registry'
import { saveBrandingDraftWithKey } from '../../modules/api/branding.server'

export const { loader, action } = apiRoute({
	PUT: endpoint(ENDPOINTS.saveBrandingDraft, ({ key, context, body }) => saveBrandingDraftWithKey(key, context, body)),
})
