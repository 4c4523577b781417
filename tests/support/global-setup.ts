import type { TestProject } from "vitest/node";
import { createTestDatabase } from "./test-database";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const database = await createTestDatabase("pc_it");
  project.provide("databaseUrl", database.url);
  return async () => {
    if (!process.env.KEEP_TEST_DATABASE) await database.drop();
  };
}
