// Part of `npm run build`: writes the gateway bundle (scripts/lib/gateway-bundle.ts) so an image
// built without a database or secrets already holds what `npm start` runs.
import path from "node:path";
import { gatewayBundle } from "./lib/gateway-bundle";

process.stdout.write(`[build] gateway bundle ${path.relative(process.cwd(), gatewayBundle())}\n`);
