import type { RoleName } from "@/lib/auth/roles";

declare module "next-auth" {
  interface Session {
    // sid: this session's id, which sign-out lists as ended (lib/auth/end-session.ts).
    user: { id: string; email: string; name: string; role: RoleName; sessionVersion: number; sid?: string };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role?: RoleName;
    sessionVersion?: number;
    sid?: string;
    /** Sign-in time (seconds): the absolute session lifetime counts from here, renewals keep it. */
    authTime?: number;
  }
}
