import type { Metadata } from "next";
import { Suspense } from "react";
import { requirePageActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";
import { Card, PageHeader, Skeleton } from "@/components/ui/card";
import { CreateUserForm } from "@/components/users/create-user-form";
import { UsersTable } from "@/components/users/users-table";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const actor = await requirePageActor("users:read");
  return (
    <>
      <PageHeader title="Users" description="Who can sign in to the console, and with which role." />
      <div className="space-y-6">
        <Card title="Accounts">
          <Suspense fallback={<Skeleton className="h-40" />}>
            <UsersTable currentUserId={actor.id} />
          </Suspense>
        </Card>
        {can(actor.role, "users:write") ? (
          <Card title="Add a user">
            <CreateUserForm />
          </Card>
        ) : null}
      </div>
    </>
  );
}
