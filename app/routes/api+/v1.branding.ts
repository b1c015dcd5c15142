import { apiRoute, endpoint } from '../../modules/api/handler.server'
import { ENDPOINTS } from '../../modules/api/registry'
import { getBranding } from '../../modules/api/branding.server'

export const { loader, action } = apiRoute({
	GET: endpoint(ENDPOINTS.getBranding, ({ context }) => getBranding(context)),
})
