import { apiRoute, endpoint } from '../../modules/api/handler.server'
import { ENDPOINTS } from '../../modules/api/registry'
import { listBrandingVersions } from '../../modules/api/branding.server'

export const { loader, action } = apiRoute({
	GET: endpoint(ENDPOINTS.listBrandingVersions, ({ context }) => listBrandingVersions(context)),
})
