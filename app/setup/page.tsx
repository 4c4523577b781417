import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { countUsers } from "@/lib/users/queries";
import { AuthShell } from "@/components/auth/auth-shell";
import { SetupForm } from "@/components/auth/setup-form";

export const metadata: Metadata = { title: "Set up" };
export const dynamic = "force-dynamic";

export default async function SetupPage() {
  if ((await countUsers()) > 0) redirect("/login");
  return (
    <AuthShell
      title="Create the first admin"
      subtitle="This page is shown once: it disappears as soon as an account exists."
    >
      <SetupForm />
    </AuthShell>
  );
}
