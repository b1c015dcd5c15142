import { apiRoute, endpoint } from '../../modules/api/handler.server'
import { ENDPOINTS } from '../../modules/api/registry'
import { getBrandingVersion } from '../../modules/api/branding.server'

export const { loader, action } = apiRoute({
	GET: endpoint(ENDPOINTS.getBrandingVersion, ({ context, params }) => getBrandingVersion(context, params.number)),
})
