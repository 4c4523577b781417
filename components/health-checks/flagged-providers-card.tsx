import { requirePageActor } from "@/lib/auth/session";
import Link from "@/components/ui/link";
import { flaggedProviders } from "@/lib/health-checks/queries";

/**
 * Providers whose last N health checks all failed. Renders nothing when none are flagged, so the
 * overview and providers list only change when something needs a look.
 */
export async function FlaggedProvidersCard({ className = "mb-6" }: { className?: string }) {
  await requirePageActor("providers:read");
  const { threshold, providers } = await flaggedProviders();
  if (providers.length === 0) return null;
  return (
    <section
      role="alert"
      data-testid="flagged-providers"
      className={`${className} rounded-lg bg-red-50 px-5 py-4 text-sm text-red-900 ring-1 ring-red-200`}
    >
      <h2 className="font-semibold">Failing health checks</h2>
      <p className="mb-2 text-red-800">
        These providers failed their last {threshold} or more checks in a row. They stay enabled; check their keys and
        status.
      </p>
      <ul className="space-y-1">
        {providers.map((provider) => (
          <li key={provider.providerId}>
            <Link href={`/providers/${provider.providerId}`} className="font-medium underline">
              {provider.name}
            </Link>
            : {provider.consecutiveFailures} failures in a row
            {provider.lastErrorClass ? (
              <>
                {" "}
                (last: <code>{provider.lastErrorClass}</code>)
              </>
            ) : null}
            {" · "}
            <Link href="/health-checks" className="underline">
              health checks
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
