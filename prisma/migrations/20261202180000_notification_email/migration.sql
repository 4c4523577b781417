-- Email channels through SMTP and self-subscriptions to budget events (issue #16, docs/notifications.md).

-- AlterEnum
ALTER TYPE "NotificationChannelKind" ADD VALUE 'EMAIL';

-- CreateEnum
CREATE TYPE "NotificationSmtpTls" AS ENUM ('IMPLICIT', 'STARTTLS', 'NONE');

-- AlterTable
ALTER TABLE "notification_channels" ALTER COLUMN "url" DROP NOT NULL,
ALTER COLUMN "secret_ciphertext" DROP NOT NULL,
ALTER COLUMN "master_key_id" DROP NOT NULL,
ADD COLUMN "smtp_host" TEXT,
ADD COLUMN "smtp_port" INTEGER,
ADD COLUMN "smtp_tls" "NotificationSmtpTls",
ADD COLUMN "smtp_username" TEXT,
ADD COLUMN "smtp_password_ciphertext" TEXT,
ADD COLUMN "smtp_password_master_key_id" TEXT,
ADD COLUMN "from_address" TEXT,
ADD COLUMN "self_subscribe" BOOLEAN NOT NULL DEFAULT false;

-- A webhook has its URL and sealed secret, an email channel its SMTP server and From address.
-- (kind::text, not the enum literal: the new enum value cannot be used in the transaction that adds it.)
ALTER TABLE "notification_channels" ADD CONSTRAINT "notification_channels_kind_fields" CHECK (
  (kind::text = 'WEBHOOK' AND url IS NOT NULL AND secret_ciphertext IS NOT NULL AND master_key_id IS NOT NULL)
  OR (kind::text = 'EMAIL' AND smtp_host IS NOT NULL AND smtp_port IS NOT NULL AND smtp_tls IS NOT NULL AND from_address IS NOT NULL)
);
ALTER TABLE "notification_channels" ADD CONSTRAINT "notification_channels_smtp_password_key" CHECK (
  (smtp_password_ciphertext IS NULL) = (smtp_password_master_key_id IS NULL)
);

-- AlterTable
ALTER TABLE "notification_rules" ADD COLUMN "recipients" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "owner_user_id" UUID;

-- CreateIndex
CREATE UNIQUE INDEX "notification_rules_channel_id_owner_user_id_key" ON "notification_rules"("channel_id", "owner_user_id");

-- AddForeignKey
ALTER TABLE "notification_rules" ADD CONSTRAINT "notification_rules_owner_user_id_fkey" FOREIGN KEY ("owner_user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
