import type { RoleName } from "@/lib/auth/roles";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string; role: RoleName; sessionVersion: number };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role?: RoleName;
    sessionVersion?: number;
  }
}
