import { apiRoute, endpoint } from '../../modules/api/handler.server'
import { createInvitationWithKey, listInvitationsPage } from '../../modules/api/invitations.server'
import { ENDPOINTS } from '../../modules/api/registry'

export const { loader, action } = apiRoute({
	GET: endpoint(ENDPOINTS.listInvitations, ({ context, query }) => listInvitationsPage(context, query)),
	POST: endpoint(ENDPOINTS.createInvitation, ({ key, context, body }) => createInvitationWithKey(key, context, body)),
})
