import { requirePageActor } from "@/lib/auth/session";
import Link from "@/components/ui/link";
import { listUsers } from "@/lib/users/queries";
import { RoleBadge, SignInMethodBadge, StatusBadge } from "@/components/users/user-badges";

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

export async function UsersTable({ currentUserId }: { currentUserId: string }) {
  await requirePageActor("users:read");
  const users = await listUsers();
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Console users</caption>
        <thead>
          <tr className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <th scope="col" className="py-2 pr-4">
              Email
            </th>
            <th scope="col" className="py-2 pr-4">
              Name
            </th>
            <th scope="col" className="py-2 pr-4">
              Role
            </th>
            <th scope="col" className="py-2 pr-4">
              Signs in with
            </th>
            <th scope="col" className="py-2 pr-4">
              Status
            </th>
            <th scope="col" className="py-2 pr-4">
              Created
            </th>
            <th scope="col" className="py-2">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {users.map((user) => (
            <tr key={user.id} className={user.disabled ? "text-slate-400" : "text-slate-800"}>
              <td className="py-2 pr-4 font-medium">
                {user.email}
                {user.id === currentUserId ? <span className="ml-2 text-xs text-slate-500">(you)</span> : null}
              </td>
              <td className="py-2 pr-4">{user.name}</td>
              <td className="py-2 pr-4">
                <RoleBadge role={user.role} />
              </td>
              <td className="py-2 pr-4">
                <SignInMethodBadge method={user.signInMethod} />
              </td>
              <td className="py-2 pr-4">
                <StatusBadge disabled={user.disabled} />
              </td>
              <td className="py-2 pr-4 tabular-nums">{dateFormat.format(user.createdAt)}</td>
              <td className="py-2 text-right">
                <Link
                  href={`/users/${user.id}`}
                  className="font-medium text-indigo-600 hover:underline"
                  aria-label={`Manage ${user.email}`}
                >
                  Manage
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
