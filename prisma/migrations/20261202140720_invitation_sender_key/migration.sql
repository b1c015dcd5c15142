-- AlterTable
ALTER TABLE "Invitation" ADD COLUMN     "invitedByKeyId" TEXT;

-- Backfill the sender of invitations sent before it was recorded, from their `invitation.sent`
-- event: an API key of the org (the API recorded none), or an operator (onboarding recorded none).
-- Any invitation still naming no sender raises nobody when used; it can be sent again.
UPDATE "Invitation" i SET "invitedByKeyId" = e."actorId"
FROM "AuditEvent" e JOIN "ApiKey" k ON k.id = e."actorId"
WHERE i."invitedById" IS NULL AND e."organizationId" = i."organizationId" AND e.type = 'invitation.sent' AND e."targetId" = i.id AND k."organizationId" = i."organizationId";

UPDATE "Invitation" i SET "invitedById" = e."actorId"
FROM "AuditEvent" e JOIN "User" u ON u.id = e."actorId" JOIN "Organization" o ON o.id = u."organizationId" AND o."isOperator"
WHERE i."invitedById" IS NULL AND i."invitedByKeyId" IS NULL AND e."organizationId" = i."organizationId" AND e.type = 'invitation.sent' AND e."targetId" = i.id;
