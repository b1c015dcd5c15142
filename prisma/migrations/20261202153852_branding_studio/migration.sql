-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "publishedBrandingId" TEXT;

-- CreateTable
CREATE TABLE "BrandingDraft" (
    "organizationId" TEXT NOT NULL,
    "document" JSONB NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BrandingDraft_pkey" PRIMARY KEY ("organizationId")
);

-- CreateTable
CREATE TABLE "BrandingVersion" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "document" JSONB NOT NULL,
    "css" TEXT NOT NULL DEFAULT '',
    "publishedById" TEXT,
    "publishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "restoredFrom" INTEGER,

    CONSTRAINT "BrandingVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Asset" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "bytes" BYTEA NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Asset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EmailOverride" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "fields" JSONB NOT NULL,
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EmailOverride_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BrandingVersion_organizationId_number_key" ON "BrandingVersion"("organizationId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "Asset_organizationId_sha256_key" ON "Asset"("organizationId", "sha256");

-- CreateIndex
CREATE UNIQUE INDEX "EmailOverride_organizationId_template_key" ON "EmailOverride"("organizationId", "template");

-- CreateIndex
CREATE UNIQUE INDEX "Organization_publishedBrandingId_key" ON "Organization"("publishedBrandingId");

-- AddForeignKey
ALTER TABLE "Organization" ADD CONSTRAINT "Organization_publishedBrandingId_fkey" FOREIGN KEY ("publishedBrandingId") REFERENCES "BrandingVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BrandingDraft" ADD CONSTRAINT "BrandingDraft_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BrandingVersion" ADD CONSTRAINT "BrandingVersion_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Asset" ADD CONSTRAINT "Asset_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EmailOverride" ADD CONSTRAINT "EmailOverride_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
