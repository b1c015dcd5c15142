import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '../../components/error-boundary'
import { Cell, ConsoleNotice, DataTable, Row } from '../../components/ui/data-table'
import { requireOrgPermission } from '../../modules/permissions/guard.server'
import { builtInRoles, listCustomRoles } from '../../modules/permissions/roles.server'
import { hasPermission, RESOURCES, type Permissions } from '../../modules/permissions/statements'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Roles · ${data?.orgName ?? ''}` }]

export async function loader({ request, context }: LoaderFunctionArgs) {
	const { permissions } = await requireOrgPermission(request, context, { role: ['read'] })
	const search = new URL(request.url).searchParams
	return {
		orgName: context.org.name,
		canCreate: hasPermission(permissions, { role: ['create'] }),
		deleted: search.has('deleted'),
		builtIn: builtInRoles(),
		custom: await listCustomRoles(context.org.id),
	}
}

export default function RolesPage() {
	const { builtIn, custom, canCreate, deleted } = useLoaderData<typeof loader>()
	return (
		<div className="flex flex-col gap-8">
			<h1 className="text-2xl font-semibold">Roles</h1>
			{deleted ? (
				<ConsoleNotice>The role was deleted.</ConsoleNotice>
			) : null}
			<section aria-labelledby="custom-heading" className="flex flex-col gap-3">
				<h2 id="custom-heading" className="text-lg font-semibold">
					Custom roles
				</h2>
				<RoleTable caption="Custom roles of this organization" roles={custom} linked />
				{canCreate ? (
					<p>
						<Link className="text-link underline" to="/admin/roles/new">
							Create a custom role
						</Link>
					</p>
				) : null}
			</section>
			<section aria-labelledby="builtin-heading" className="flex flex-col gap-3">
				<h2 id="builtin-heading" className="text-lg font-semibold">
					Built-in roles
				</h2>
				<p className="text-sm text-muted">These come with every organization and cannot be changed. Members have no access to this console.</p>
				<RoleTable caption="Built-in roles" roles={builtIn.map((role) => ({ ...role, id: role.name, description: '', holders: null }))} />
			</section>
		</div>
	)
}

type ListedRole = { id: string; name: string; description: string; statements: Permissions; holders: number | null }

/** A role's statements in words: `user: read, create · app: read`. */
function describeStatements(statements: Permissions) {
	const parts = RESOURCES.filter((resource) => statements[resource]?.length).map((resource) => `${resource}: ${statements[resource]!.join(', ')}`)
	return parts.length ? parts.join(' · ') : 'No console access'
}

function RoleTable({ caption, roles, linked = false }: { caption: string; roles: ListedRole[]; linked?: boolean }) {
	return (
		<DataTable caption={caption} columns={linked ? ['Name', 'Statements', 'Users'] : ['Name', 'Statements']} rows={roles} empty="No custom roles yet.">
			{(role) => (
				<Row key={role.id} className="align-top">
					<Cell>
						{linked ? (
							<Link className="font-medium text-link underline" to={`/admin/roles/${encodeURIComponent(role.id)}`}>
								{role.name}
							</Link>
						) : (
							<span className="font-medium">{role.name}</span>
						)}
						{role.description ? <p className="text-xs text-muted">{role.description}</p> : null}
					</Cell>
					<Cell className="text-xs">{describeStatements(role.statements)}</Cell>
					{linked ? <Cell>{role.holders}</Cell> : null}
				</Row>
			)}
		</DataTable>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
