import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";
import { getUser } from "@/lib/users/queries";
import { Card, PageHeader } from "@/components/ui/card";
import { UserFacts } from "@/components/users/user-facts";
import { ChangeRoleForm } from "@/components/users/change-role-form";
import { UserStatusForm } from "@/components/users/user-status-form";
import { ResetPasswordForm } from "@/components/users/reset-password-form";

export const metadata: Metadata = { title: "Manage user" };

export default async function UserPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor("users:read");
  const user = await getUser((await params).id);
  if (!user) notFound();
  const editable = can(actor.role, "users:write");
  const self = user.id === actor.id;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/users" className="font-medium text-indigo-600 hover:underline">
          ← All users
        </Link>
      </p>
      <PageHeader
        title={user.email}
        description={
          self
            ? "Your own account: changing your role or password signs you out."
            : "Role changes, disabling and password resets sign the user out everywhere."
        }
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Details">
          <UserFacts user={user} />
        </Card>
        {editable ? (
          <>
            <Card title="Role">
              <ChangeRoleForm userId={user.id} role={user.role} />
            </Card>
            <Card title="Status">
              <UserStatusForm userId={user.id} disabled={user.disabled} />
            </Card>
            <Card title="Password">
              <ResetPasswordForm userId={user.id} />
            </Card>
          </>
        ) : null}
      </div>
    </>
  );
}
