-- A user's grants are found by the account id inside oidc-provider's payload: on a password reset
-- or change, "sign out all other devices", a factor removed, an admin's change and every /account
-- page. Without this index each lookup reads every grant row (~300 ms at 300,000 grants).
-- Prisma's schema language has no expression indexes, so it lives only in this migration (not in
-- schema.prisma); the queries that use it are in app/modules/oidc/grants.server.ts.
CREATE INDEX "OidcPayload_grant_accountId_idx" ON "OidcPayload" ("organizationId", (payload->>'accountId')) WHERE model = 'Grant';
