import { apiRoute, endpoint } from '../../modules/api/handler.server'
import { ENDPOINTS } from '../../modules/api/registry'
import { addTeamMemberWithKey, removeTeamMemberWithKey } from '../../modules/api/teams.server'

export const { loader, action } = apiRoute({
	PUT: endpoint(ENDPOINTS.addTeamMember, ({ key, context, params }) => addTeamMemberWithKey(key, context, params.id, params.userId)),
	DELETE: endpoint(ENDPOINTS.removeTeamMember, ({ key, context, params }) => removeTeamMemberWithKey(key, context, params.id, params.userId)),
})
