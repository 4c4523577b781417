import type { UserDetail } from "@/lib/users/queries";
import { RoleBadge, SignInMethodBadge, StatusBadge } from "@/components/users/user-badges";

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function UserFacts({ user }: { user: UserDetail }) {
  const rows: [string, React.ReactNode][] = [
    ["Email", user.email],
    ["Name", user.name || "—"],
    ["Role", <RoleBadge key="role" role={user.role} />],
    ["Signs in with", <SignInMethodBadge key="sign-in" method={user.signInMethod} />],
    ["Status", <StatusBadge key="status" disabled={user.disabled} />],
    ["Created", `${dateTime.format(user.createdAt)} UTC`],
    ["Last changed", `${dateTime.format(user.updatedAt)} UTC`],
  ];
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-slate-500">{label}</dt>
          <dd className="text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
