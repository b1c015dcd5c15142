import { apiRoute, endpoint } from '../../modules/api/handler.server'
import { ENDPOINTS } from '../../modules/api/registry'
import { createTeamWithKey, listTeamsPage } from '../../modules/api/teams.server'

export const { loader, action } = apiRoute({
	GET: endpoint(ENDPOINTS.listTeams, ({ context, query }) => listTeamsPage(context, query)),
	POST: endpoint(ENDPOINTS.createTeam, ({ key, context, body }) => createTeamWithKey(key, context, body)),
})
