import { apiRoute, endpoint } from '../../modules/api/handler.server'
import { revokeInvitationWithKey } from '../../modules/api/invitations.server'
import { ENDPOINTS } from '../../modules/api/registry'

export const { loader, action } = apiRoute({
	DELETE: endpoint(ENDPOINTS.revokeInvitation, ({ key, context, params }) => revokeInvitationWithKey(key, context, params.id)),
})
