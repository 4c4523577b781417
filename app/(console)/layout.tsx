import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth/session";
import { can, ROLE_LABEL, type Capability } from "@/lib/auth/roles";
import { NavLinks, type NavItem } from "@/components/layout/nav-links";
import { SignOutButton } from "@/components/layout/sign-out-button";

const NAV: (NavItem & { capability: Capability })[] = [
  { href: "/", label: "Overview", capability: "providers:read" },
  { href: "/providers", label: "Providers", capability: "providers:read" },
  { href: "/health-checks", label: "Health checks", capability: "providers:read" },
  { href: "/playground", label: "Playground", capability: "providers:read" },
  { href: "/fine-tuning", label: "Fine-tuning", capability: "fine-tuning:read" },
  { href: "/evals", label: "Evaluations", capability: "evals:read" },
  { href: "/spend", label: "Spend", capability: "spend:read" },
  { href: "/latency", label: "Latency", capability: "usage:read" },
  { href: "/usage", label: "Usage log", capability: "usage:read" },
  { href: "/usage/tokens", label: "Ingest tokens", capability: "settings:write" },
  { href: "/gateway/keys", label: "Gateway keys", capability: "gateway:read" },
  { href: "/gateway/routes", label: "Routes", capability: "gateway:read" },
  { href: "/gateway/teams", label: "Teams", capability: "gateway:read" },
  { href: "/gateway/connect", label: "Connect an app", capability: "gateway:read" },
  { href: "/notifications", label: "Notifications", capability: "notifications:read" },
  { href: "/users", label: "Users", capability: "users:read" },
  { href: "/audit", label: "Audit log", capability: "audit:read" },
  { href: "/settings", label: "Settings", capability: "settings:write" },
];

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  const items = NAV.filter((item) => can(actor.role, item.capability)).map(({ href, label }) => ({ href, label }));
  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <nav aria-label="Main" className="flex w-56 shrink-0 flex-col bg-slate-900 px-3 py-5">
        <p className="mb-6 px-3 text-sm font-semibold tracking-wide text-indigo-300">PROVIDER CONSOLE</p>
        <NavLinks items={items} />
        <div className="mt-auto space-y-1 border-t border-slate-800 px-3 pt-4">
          <p className="truncate text-sm text-white" title={actor.email}>
            {actor.email}
          </p>
          <p className="text-xs text-slate-400">{ROLE_LABEL[actor.role]}</p>
          <SignOutButton />
        </div>
      </nav>
      <main id="main" className="min-w-0 flex-1 px-8 py-8">
        {children}
      </main>
    </div>
  );
}
