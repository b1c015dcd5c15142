import { apiRoute, endpoint } from '../../modules/api/handler.server'
import { buildOpenApiDocument } from '../../modules/api/openapi'
import { ENDPOINTS } from '../../modules/api/registry'

/** Public (no key): the document names endpoints and statements, never data. */
export const { loader, action } = apiRoute({
	GET: endpoint(ENDPOINTS.openapi, async ({ context }) => buildOpenApiDocument(context.org.origin)),
})
