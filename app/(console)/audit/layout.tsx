import { requirePageActor } from "@/lib/auth/session";

// This segment's loading.tsx streams the page inside a Suspense boundary, and once anything has
// streamed the status is 200. The layout renders outside that boundary, so checking here answers
// other roles with a real 404 before anything is sent (the page checks again for itself).
export default async function RoleGuardLayout({ children }: { children: React.ReactNode }) {
  await requirePageActor("audit:read");
  return children;
}
