import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '../../components/error-boundary'
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
				<p role="status" className="rounded-brand border border-border bg-surface px-3 py-2 text-sm">
					The role was deleted.
				</p>
			) : null}
			<section aria-labelledby="custom-heading" className="flex flex-col gap-3">
				<h2 id="custom-heading" className="text-lg font-semibold">
					Custom roles
				</h2>
				{custom.length === 0 ? <p className="text-muted">No custom roles yet.</p> : <RoleTable caption="Custom roles of this organization" roles={custom} linked />}
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
		<div className="overflow-x-auto rounded-brand border border-border bg-surface">
			<table className="w-full text-left text-sm">
				<caption className="sr-only">{caption}</caption>
				<thead className="border-b border-border text-muted">
					<tr>
						<th scope="col" className="px-4 py-2 font-medium">
							Name
						</th>
						<th scope="col" className="px-4 py-2 font-medium">
							Statements
						</th>
						{linked ? (
							<th scope="col" className="px-4 py-2 font-medium">
								Users
							</th>
						) : null}
					</tr>
				</thead>
				<tbody>
					{roles.map((role) => (
						<tr key={role.id} className="border-b border-border align-top last:border-0">
							<td className="px-4 py-2">
								{linked ? (
									<Link className="font-medium text-link underline" to={`/admin/roles/${encodeURIComponent(role.id)}`}>
										{role.name}
									</Link>
								) : (
									<span className="font-medium">{role.name}</span>
								)}
								{role.description ? <p className="text-xs text-muted">{role.description}</p> : null}
							</td>
							<td className="px-4 py-2 text-xs">{describeStatements(role.statements)}</td>
							{linked ? <td className="px-4 py-2">{role.holders}</td> : null}
						</tr>
					))}
				</tbody>
			</table>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
