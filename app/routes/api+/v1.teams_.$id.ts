import { apiRoute, endpoint } from '../../modules/api/handler.server'
import { ENDPOINTS } from '../../modules/api/registry'
import { deleteTeamWithKey, getTeamDetail, updateTeamWithKey } from '../../modules/api/teams.server'

export const { loader, action } = apiRoute({
	GET: endpoint(ENDPOINTS.getTeam, ({ context, params }) => getTeamDetail(context, params.id)),
	PATCH: endpoint(ENDPOINTS.updateTeam, ({ key, context, params, body }) => updateTeamWithKey(key, context, params.id, body)),
	DELETE: endpoint(ENDPOINTS.deleteTeam, ({ key, context, params }) => deleteTeamWithKey(key, context, params.id)),
})
