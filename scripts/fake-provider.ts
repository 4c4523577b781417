// `npm run fake-provider -- --port 4010`: the test fake provider as a standalone server, for
// pointing a running console (or curl) at it. See tests/fake-provider/README.md for behaviours.
import { startFakeProvider } from "../tests/fake-provider/server";

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const port = Number(argument("port") ?? process.env.FAKE_PROVIDER_PORT ?? 0);
const host = argument("host") ?? "127.0.0.1";
const fake = await startFakeProvider({ port, host });

console.log(`Fake provider listening on ${fake.url}`);
console.log(`  OpenAI-style kinds: ${fake.url}/v1   Anthropic, Google, Azure, Ollama: ${fake.url}`);
console.log("  Keys: sk-fake-... or fake-ok are accepted; fake-401, fake-429, fake-slow-500, fake-hang ... steer it.");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void fake.close().then(() => process.exit(0));
  });
}
