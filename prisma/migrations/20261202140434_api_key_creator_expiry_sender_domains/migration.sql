-- CreateEnum
CREATE TYPE "ApiKeyCreatorKind" AS ENUM ('user', 'cli');

-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "senderDomains" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable (creatorKind is filled in below before it becomes NOT NULL)
ALTER TABLE "ApiKey" ADD COLUMN     "creatorKind" "ApiKeyCreatorKind",
ADD COLUMN     "expiresAt" TIMESTAMP(3);

-- Until now only `foyer api-keys create` made keys without a creator; console keys named theirs.
UPDATE "ApiKey" SET "creatorKind" = (CASE WHEN "createdById" IS NULL THEN 'cli' ELSE 'user' END)::"ApiKeyCreatorKind";

-- A creator deleted before this migration left an id that points nowhere: the key stays theirs
-- (creatorKind user) and so stops working, rather than passing for an operator's key.
UPDATE "ApiKey" k SET "createdById" = NULL
WHERE k."createdById" IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM "User" u WHERE u.id = k."createdById" AND u."organizationId" = k."organizationId");

ALTER TABLE "ApiKey" ALTER COLUMN "creatorKind" SET NOT NULL;

-- Only a user's key names a user: a CLI key never gains a creator whose role would bound it.
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_cli_key_has_no_creator" CHECK ("creatorKind" = 'user' OR "createdById" IS NULL);

-- CreateIndex
CREATE INDEX "ApiKey_createdById_idx" ON "ApiKey"("createdById");

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
