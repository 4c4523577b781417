import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { getGatewayKey } from "@/lib/gateway-keys/queries";

// This segment's loading.tsx streams the page, and once anything has streamed the status is 200.
// The layout renders outside that boundary, so an unknown key id answers a real 404 from here (the
// read is cached for the request: the page and its widgets reuse it).
export default async function GatewayKeyLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ id: string }>;
}) {
  await requirePageActor("gateway:read");
  if (!(await getGatewayKey((await params).id))) notFound();
  return children;
}
