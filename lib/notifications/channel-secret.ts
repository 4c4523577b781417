import "server-only";

// The associated data binding a channel's sealed signing secret (and SMTP password) to its row (lib/crypto/seal.ts);
// defined in the encrypted-columns registry so rewrap re-seals it with the same binding.
export {
  notificationChannelAssociatedData as channelSecretAssociatedData,
  notificationSmtpPasswordAssociatedData as smtpPasswordAssociatedData,
} from "@/lib/crypto/encrypted-columns";
